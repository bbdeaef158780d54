package dev.dbproxy.examples.tasks.core;

/** A failure of the store that retrying will not cure: refused credentials or policy, an unreadable answer. */
public final class PermanentTaskStoreException extends TasksException {

    public PermanentTaskStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
