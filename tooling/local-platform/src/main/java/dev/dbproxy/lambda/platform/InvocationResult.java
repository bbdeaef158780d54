package dev.dbproxy.lambda.platform;

/**
 * The outcome of one invocation through {@link LocalLambdaPlatform}'s Java API; the Invoke API and the HTTP API
 * gateway turn each case into the HTTP answer the real services give.
 */
public sealed interface InvocationResult {

    /**
     * The handler returned.
     *
     * @param requestId the invocation's request id
     * @param payload   the serialized response (JSON for a {@code RequestHandler})
     * @param logTail   the invocation's log, START to REPORT lines
     */
    record Completed(String requestId, byte[] payload, String logTail) implements InvocationResult {
    }

    /**
     * The function failed: the handler threw, its init failed, it timed out or its response was too large. Lambda
     * answers such an invocation with 200 and {@code X-Amz-Function-Error: Unhandled}.
     *
     * @param requestId    the invocation's request id
     * @param errorPayload {@code {"errorMessage", "errorType", "stackTrace"}} as the Java runtime writes it
     * @param logTail      the invocation's log
     */
    record FunctionFailed(String requestId, byte[] errorPayload, String logTail) implements InvocationResult {
    }

    /**
     * Refused before running because the function's SnapStart environment could not be restored: an
     * {@code afterRestore} hook failed, or the restore ran past 10 s. Lambda answers the Invoke call with an error
     * ({@code SnapStartException}, 400; {@code SnapStartTimeoutException}, 408), not a function error.
     *
     * @param requestId  the invocation's request id
     * @param errorType  {@link #HOOK_FAILED} or {@link #TIMEOUT}, as Lambda's {@code x-amzn-ErrorType}
     * @param statusCode the Invoke API's status code: 400 or 408
     * @param message    Lambda's message
     * @param logTail    the invocation's log: the runtime's report of the failed hook
     */
    record SnapStartFailed(String requestId, String errorType, int statusCode, String message, String logTail)
            implements InvocationResult {

        /** The error type of a failed {@code afterRestore} hook. */
        public static final String HOOK_FAILED = "SnapStartException";
        /** The error type of a restore that ran past its time limit. */
        public static final String TIMEOUT = "SnapStartTimeoutException";
    }

    /**
     * Refused before running because of a concurrency limit; safe to retry.
     *
     * @param reason {@code ReservedFunctionConcurrentInvocationLimitExceeded} or
     *               {@code ConcurrentInvocationLimitExceeded}, as Lambda's 429 body says
     */
    record Throttled(String reason) implements InvocationResult {
    }

    /**
     * No function of that name or ARN is deployed.
     *
     * @param functionArn the ARN that was looked for, as Lambda's 404 message names it
     */
    record FunctionNotFound(String functionArn) implements InvocationResult {
    }

    /**
     * An asynchronous ({@code Event}) invocation was queued; it runs later, and throttled attempts are retried.
     *
     * @param requestId the invocation's request id
     */
    record Accepted(String requestId) implements InvocationResult {
    }
}
