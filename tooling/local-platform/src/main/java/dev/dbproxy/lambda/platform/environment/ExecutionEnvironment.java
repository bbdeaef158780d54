package dev.dbproxy.lambda.platform.environment;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * One execution environment of one function: an initialized handler that runs one invocation at a time. The
 * platform decides when an environment is used, reused, abandoned or torn down; an environment only does what it is
 * told. Implementations: {@link InProcessEnvironmentFactory} (a class loader and a thread in this JVM); a later one
 * may run each environment as its own process with the AWS Lambda runtime interface client.
 */
public interface ExecutionEnvironment {

    /** A unique id, used in the log stream name and in the platform's logs. */
    String id();

    /** How long the environment's init (loading and constructing the handler) took. */
    Duration initDuration();

    /**
     * Runs one invocation. The platform never calls this while another invocation of the same environment runs.
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
}
