package dev.dbproxy.notes.core.usecase;

import dev.dbproxy.notes.core.domain.Note;
import dev.dbproxy.notes.core.domain.NoteChanges;
import dev.dbproxy.notes.core.domain.NoteId;
import dev.dbproxy.notes.core.error.NoteNotFoundException;
import dev.dbproxy.notes.core.port.NoteRepository;
import java.time.Clock;
import java.util.Objects;
import reactor.core.publisher.Mono;

/** Changes some fields of a note. */
public final class UpdateNote {

    private final NoteRepository notes;
    private final Clock clock;

    public UpdateNote(NoteRepository notes, Clock clock) {
        this.notes = Objects.requireNonNull(notes, "notes");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Emits the note as changed, or fails with {@link NoteNotFoundException} when there is none. */
    public Mono<Note> execute(NoteId id, NoteChanges changes) {
        return Mono.defer(() -> notes.update(id, changes, clock.instant()))
                .switchIfEmpty(Mono.error(() -> new NoteNotFoundException(id.value())));
    }
}
