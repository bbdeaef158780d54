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
}
