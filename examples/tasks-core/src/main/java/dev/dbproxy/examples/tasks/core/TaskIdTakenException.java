package dev.dbproxy.examples.tasks.core;

/** An add whose id another task already has (not a retry of the same add): the caller must generate a new id. */
public final class TaskIdTakenException extends TasksException {

    private final TaskId id;

    public TaskIdTakenException(TaskId id) {
        super("another task already has the id " + id.value(), null);
        this.id = id;
    }

    /** The id that is taken. */
    public TaskId id() {
        return id;
    }
}
