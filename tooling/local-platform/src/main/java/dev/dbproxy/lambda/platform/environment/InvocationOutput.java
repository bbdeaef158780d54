package dev.dbproxy.lambda.platform.environment;

/** What an environment returns for one invocation. */
public sealed interface InvocationOutput {

    /**
     * The handler returned.
     *
     * @param payload the serialized response
     */
    record Response(byte[] payload) implements InvocationOutput {
    }

    /**
     * The handler failed.
     *
     * @param errorPayload       {@code {"errorMessage","errorType","stackTrace"}} as the Lambda Java runtime writes it
     * @param environmentBroken  whether the runtime would have died (a {@link Error} such as
     *                           {@link OutOfMemoryError}): the platform then discards the environment
     */
    record Failure(byte[] errorPayload, boolean environmentBroken) implements InvocationOutput {
    }
}
