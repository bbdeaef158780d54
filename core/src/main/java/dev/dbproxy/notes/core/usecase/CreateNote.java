package dev.dbproxy.notes.core.usecase;

import dev.dbproxy.notes.core.domain.Note;
import dev.dbproxy.notes.core.domain.NoteId;
import dev.dbproxy.notes.core.domain.NoteText;
import dev.dbproxy.notes.core.port.NoteRepository;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import reactor.core.publisher.Mono;

/** Creates a note with an id generated here, on the caller's side, so that retries cannot create it twice. */
public final class CreateNote {

    /**
     * What to create.
     *
     * @param title       required, trimmed, 1 to 200 characters
     * @param description optional ({@code null} is empty), up to 10,000 characters
     */
    public record Command(String title, String description) {
        public Command {
            title = NoteText.title(title);
            description = NoteText.description(description);
        }
    }

    private final NoteRepository notes;
    private final Clock clock;

    public CreateNote(NoteRepository notes, Clock clock) {
        this.notes = Objects.requireNonNull(notes, "notes");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Emits the stored note. */
    public Mono<Note> execute(Command command) {
        return Mono.defer(() -> {
            Instant now = clock.instant();
            return notes.create(new Note(NoteId.generate(), command.title(), command.description(), now, now));
        });
    }
}
