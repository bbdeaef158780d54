package dev.dbproxy.examples.tasks.core;

/** The caller sent something invalid (an id, a title, a limit); {@link #field()} names it. Retrying cannot help. */
public final class InvalidTaskException extends TasksException {

    private final String field;

    public InvalidTaskException(String field, String problem) {
        super(field + " " + problem, null);
        this.field = field;
    }

    /** The field that is invalid, such as {@code title}. */
    public String field() {
        return field;
    }
}
