package dev.dbproxy.notes.core.error;

/**
 * Root of the small, sealed hierarchy of failures the notes library reports.
 *
 * <p>Callers switch on the four kinds: {@link NoteNotFoundException} (the note does not exist),
 * {@link InvalidInputException} (the caller sent something invalid; retrying cannot help),
 * {@link TransientFailureException} (database unreachable, throttled, timed out; retrying later may help) and
 * {@link PermanentFailureException} (anything else that will not go away by retrying).
 * Messages name the id or field involved and never contain a credential.
 */
public abstract sealed class NotesException extends RuntimeException
        permits NoteNotFoundException, InvalidInputException, TransientFailureException, PermanentFailureException {

    protected NotesException(String message, Throwable cause) {
        super(message, cause);
    }
}
