package dev.dbproxy.lambda.platform.environment;

/**
 * A SnapStart environment could not be restored: an {@code afterRestore} hook failed (the runtime reported
 * {@code /runtime/restore/error}, or exited), or the restore ran past Lambda's 10 s. Lambda refuses the invocation
 * with {@code SnapStartException} (400) or {@code SnapStartTimeoutException} (408) rather than running it; the
 * environment is gone.
 */
public final class EnvironmentRestoreException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final boolean timedOut;

    /**
     * @param message  what failed, naming the function and the environment; the runtime's error when it sent one
     * @param timedOut whether the restore ran past its time limit rather than failing
     */
    public EnvironmentRestoreException(String message, boolean timedOut) {
        super(message);
        this.timedOut = timedOut;
    }

    /** Whether the restore ran past its time limit ({@code SnapStartTimeoutException}) rather than failing. */
    public boolean timedOut() {
        return timedOut;
    }
}
