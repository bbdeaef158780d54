package dev.dbproxy.examples.tasks.core;

import java.util.Objects;

/**
 * A failure retrying later may cure. Every write of {@link TaskRepository} is safe to retry, even when this failure
 * leaves unknown whether it was applied: the id is the caller's, marking done twice is marking done, and deleting a
 * deleted task deletes nothing.
 */
public final class TransientTaskStoreException extends TasksException {

    /** Why the call failed; decides the HTTP status (503, 429, 504). */
    public enum Reason {
        /** The database, or the proxy in front of it, could not be reached. */
        UNAVAILABLE,
        /** A concurrency or rate limit refused the call before it ran. */
        THROTTLED,
        /** The call did not finish before its deadline. */
        TIMEOUT
    }

    private final Reason reason;

    public TransientTaskStoreException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** Why the call failed. */
    public Reason reason() {
        return reason;
    }
}
