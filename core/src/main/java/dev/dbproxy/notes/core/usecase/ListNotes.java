package dev.dbproxy.notes.core.usecase;

import dev.dbproxy.notes.core.domain.NotePage;
import dev.dbproxy.notes.core.domain.NotePageRequest;
import dev.dbproxy.notes.core.port.NoteRepository;
import java.util.Objects;
import reactor.core.publisher.Mono;

/** Lists notes, newest first, a page at a time. */
public final class ListNotes {

    private final NoteRepository notes;

    public ListNotes(NoteRepository notes) {
        this.notes = Objects.requireNonNull(notes, "notes");
    }

    /** Emits the requested page; the last page has no next cursor. */
    public Mono<NotePage> execute(NotePageRequest request) {
        return notes.listNewestFirst(request);
    }
}
