package dev.dbproxy.notes.core.usecase;

import dev.dbproxy.notes.core.domain.NoteId;
import dev.dbproxy.notes.core.error.NoteNotFoundException;
import dev.dbproxy.notes.core.port.NoteRepository;
import java.util.Objects;
import reactor.core.publisher.Mono;

/** Deletes a note. */
public final class DeleteNote {

    private final NoteRepository notes;

    public DeleteNote(NoteRepository notes) {
        this.notes = Objects.requireNonNull(notes, "notes");
    }

    /** Completes when the note was deleted; fails with {@link NoteNotFoundException} when there was none. */
    public Mono<Void> execute(NoteId id) {
        return notes.delete(id)
                .flatMap(deleted -> deleted
                        ? Mono.<Void>empty()
                        : Mono.error(new NoteNotFoundException(id.value())));
    }
}
