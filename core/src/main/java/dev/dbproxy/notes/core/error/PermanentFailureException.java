package dev.dbproxy.notes.core.error;

/**
 * A failure that retrying will not cure: a conflicting note with the same id, a rejected or malformed response,
 * a misconfiguration discovered while running. The message is safe to log; the cause carries the details.
 */
public sealed class PermanentFailureException extends NotesException permits NoteIdTakenException {

    public PermanentFailureException(String message, Throwable cause) {
        super(message, cause);
    }

    public PermanentFailureException(String message) {
        super(message, null);
    }
}
