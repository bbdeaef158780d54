package dev.dbproxy.notes.core.error;

/** No note has the requested id. */
public final class NoteNotFoundException extends NotesException {

    private final String noteId;

    public NoteNotFoundException(String noteId) {
        super("note " + noteId + " not found", null);
        this.noteId = noteId;
    }

    /** The id that was looked up. */
    public String noteId() {
        return noteId;
    }
}
