package dev.dbproxy.lambda.platform.environment;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * One execution environment of one function: an initialized handler that runs one invocation at a time (or, on
 * managed instances, up to its {@link EnvironmentSpec#maxConcurrency()} at once on as many threads). The
 * platform decides when an environment is used, reused, abandoned or torn down; an environment only does what it is
 * told. Implementations: {@link InProcessEnvironmentFactory} (a class loader and a thread in this JVM) and
 * {@code dev.dbproxy.lambda.platform.process.ProcessEnvironmentFactory} (a JVM per environment under the AWS Lambda
 * runtime interface client, frozen between invocations).
 */
public interface ExecutionEnvironment {

    /** A unique id, used in the log stream name and in the platform's logs. */
    String id();

    /** How long the environment's init (loading and constructing the handler) took. */
    Duration initDuration();

    /**
     * Lambda's RESTORE phase of a SnapStart environment ({@link EnvironmentSpec#snapStart()}), run once before its
     * first invocation: the runtime's {@code afterRestore} hooks. Its output goes to {@code log} (the first
     * invocation's).
     *
     * @return emits how long the restore took ({@link Duration#ZERO} at once for an environment that initialized on
     *         demand), or fails with {@link EnvironmentRestoreException} when a hook failed or the restore ran past
     *         Lambda's 10 s (the environment is gone then)
     */
    default CompletableFuture<Duration> restore(InvocationLog log) {
        return CompletableFuture.completedFuture(Duration.ZERO);
    }

    /**
     * Runs one invocation. The platform never calls this while more invocations of the same environment run than its
     * {@link EnvironmentSpec#maxConcurrency()} allows (one on Lambda's default compute).
     *
     * @return emits the handler's response or its error; never completes exceptionally for a handler failure. The
     *         platform enforces the timeout: the future may never complete when the handler hangs.
     */
    CompletableFuture<InvocationOutput> invoke(InvocationInput input);

    /**
     * Lets the handler clean up (an {@link AutoCloseable} handler is closed), then tears the environment down, like
     * Lambda's SHUTDOWN phase when an extension is registered.
     *
     * @return completes when the environment is gone; never exceptionally (cleanup failures are logged)
     */
    CompletableFuture<Void> shutDownGracefully();

    /**
     * Tears the environment down at once, like Lambda killing a runtime after a timeout or destroying an abandoned
     * sandbox: whatever it runs is stopped and every socket it holds is closed.
     *
     * @return completes when the environment is gone; never exceptionally
     */
    CompletableFuture<Void> destroy();

    /**
     * Whether this environment, when reclaimed, is shut down gracefully ({@link #shutDownGracefully()}) rather than
     * abandoned. In-process environments follow the function's setting; a process environment decides as Lambda
     * does: gracefully only when an extension registered during its init.
     *
     * @param functionSetting whether the function's reclaim mode is graceful
     */
    default boolean reclaimedGracefully(boolean functionSetting) {
        return functionSetting;
    }

    /**
     * Whether the environment can still take an invocation. A process environment whose runtime exited while it idled
     * (as the runtime interface client does after Lambda refused its response) cannot; the platform then starts another.
     */
    default boolean isAlive() {
        return true;
    }

    /** What the environment uses of the machine now; {@link ResourceUsage#NONE} when it cannot tell. */
    default ResourceUsage resourceUsage() {
        return ResourceUsage.NONE;
    }
}
