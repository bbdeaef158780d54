package dev.dbproxy.notes.core.usecase;

import dev.dbproxy.notes.core.domain.Note;
import dev.dbproxy.notes.core.domain.NoteId;
import dev.dbproxy.notes.core.error.NoteNotFoundException;
import dev.dbproxy.notes.core.port.NoteRepository;
import java.util.Objects;
import reactor.core.publisher.Mono;

/** Reads one note. */
public final class GetNote {

    private final NoteRepository notes;

    public GetNote(NoteRepository notes) {
        this.notes = Objects.requireNonNull(notes, "notes");
    }

    /** Emits the note, or fails with {@link NoteNotFoundException} when there is none. */
    public Mono<Note> execute(NoteId id) {
        return notes.findById(id).switchIfEmpty(Mono.error(() -> new NoteNotFoundException(id.value())));
    }
}
