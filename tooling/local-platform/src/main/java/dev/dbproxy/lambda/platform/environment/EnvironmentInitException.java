package dev.dbproxy.lambda.platform.environment;

import java.time.Duration;

/**
 * An environment's init failed (handler class not found, constructor threw, ...). Lambda answers the invocation with
 * a function error; the environment is gone.
 */
public final class EnvironmentInitException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient byte[] errorPayload;
    private final transient Duration initDuration;

    /**
     * @param message      what failed, naming the function and the handler
     * @param errorPayload the function error as the Java runtime reports it
     * @param initDuration how long the init ran before it failed
     * @param cause        the handler's exception
     */
    public EnvironmentInitException(String message, byte[] errorPayload, Duration initDuration, Throwable cause) {
        super(message, cause);
        this.errorPayload = errorPayload.clone();
        this.initDuration = initDuration;
    }

    /** The function error as the Java runtime reports it. */
    public byte[] errorPayload() {
        return errorPayload.clone();
    }

    /** How long the init ran before it failed. */
    public Duration initDuration() {
        return initDuration;
    }
}
