package dev.dbproxy.lambda.platform.environment;

import java.util.concurrent.CompletableFuture;

/** Creates execution environments: a cold start. */
public interface ExecutionEnvironmentFactory {

    /**
     * Creates and initializes one environment (Lambda's INIT phase: load the handler class, install the environment
     * variables, construct the handler).
     *
     * @return emits the initialized environment, or fails with {@link EnvironmentInitException} when the init failed
     *         (the environment is already torn down then)
     */
    CompletableFuture<ExecutionEnvironment> start(EnvironmentSpec spec);

    /**
     * Whether this factory's environments model Lambda SnapStart: they initialize with
     * {@code AWS_LAMBDA_INITIALIZATION_TYPE=snap-start} and are {@linkplain ExecutionEnvironment#restore restored}
     * before their first invocation. Environments of factories that do not (in-process ones) initialize on demand.
     */
    default boolean modelsSnapStart() {
        return false;
    }
}
