package dev.dbproxy.notes.core.error;

import dev.dbproxy.notes.core.domain.NoteId;

/**
 * A create found its id taken by a note of other content: not a retry of an earlier attempt of the same create. Every
 * adapter reports that case with this type, so that a caller can tell it from other permanent failures.
 */
public final class NoteIdTakenException extends PermanentFailureException {

    private final transient NoteId id;

    public NoteIdTakenException(NoteId id) {
        super("another note already has id " + id.value());
        this.id = id;
    }

    /** The id that is taken. */
    public NoteId id() {
        return id;
    }
}
