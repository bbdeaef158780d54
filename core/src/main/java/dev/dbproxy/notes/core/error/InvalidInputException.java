package dev.dbproxy.notes.core.error;

/** The caller sent an invalid value; {@link #field()} names it. Retrying the same input cannot help. */
public final class InvalidInputException extends NotesException {

    private final String field;
    private final String problem;

    public InvalidInputException(String field, String problem) {
        super(field + ": " + problem, null);
        this.field = field;
        this.problem = problem;
    }

    /** The name of the invalid field, as the caller spells it (for example {@code title}, {@code cursor}). */
    public String field() {
        return field;
    }

    /** What is wrong with the field, safe to show to the caller. */
    public String problem() {
        return problem;
    }
}
