package dev.dbproxy.examples.tasks.core;

/**
 * Every failure the tasks library reports; callers switch on the four kinds: {@link InvalidTaskException} (bad input,
 * retrying cannot help), {@link TaskIdTakenException} (another task has that id), {@link TransientTaskStoreException}
 * (the store was unreachable, throttled or out of time: retry later) and {@link PermanentTaskStoreException}
 * (anything else). Messages name the field or id involved, never a credential or a connection string.
 */
public abstract sealed class TasksException extends RuntimeException
        permits InvalidTaskException, TaskIdTakenException, TransientTaskStoreException, PermanentTaskStoreException {

    protected TasksException(String message, Throwable cause) {
        super(message, cause);
    }
}
