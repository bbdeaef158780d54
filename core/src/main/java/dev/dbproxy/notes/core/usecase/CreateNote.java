package dev.dbproxy.notes.core.usecase;

import dev.dbproxy.notes.core.domain.Note;
import dev.dbproxy.notes.core.domain.NoteId;
import dev.dbproxy.notes.core.domain.NoteText;
import dev.dbproxy.notes.core.error.InvalidInputException;
import dev.dbproxy.notes.core.error.NoteIdTakenException;
import dev.dbproxy.notes.core.port.NoteRepository;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import reactor.core.publisher.Mono;

/**
 * Creates a note with an id generated here, on the caller's side, so that retries cannot create it twice. A client
 * that retries over HTTP sends an idempotency key: the id is then derived from it, and a create whose id is taken by a
 * note of the same title and description is that note, created by an earlier attempt.
 */
public final class CreateNote {

    /**
     * What to create.
     *
     * @param title          required, trimmed, 1 to 200 characters
     * @param description    optional ({@code null} is empty), up to 10,000 characters
     * @param idempotencyKey the client's key for this create, if it sent one (see {@link NoteId#fromIdempotencyKey})
     */
    public record Command(String title, String description, Optional<String> idempotencyKey) {
        public Command {
            title = NoteText.titleInput(title);
            description = NoteText.descriptionInput(description);
            Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        }

        /** A create without an idempotency key: each one stores a new note. */
        public Command(String title, String description) {
            this(title, description, Optional.empty());
        }
    }

    private final NoteRepository notes;
    private final Clock clock;

    public CreateNote(NoteRepository notes, Clock clock) {
        this.notes = Objects.requireNonNull(notes, "notes");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Emits the stored note: the new one, or the one an earlier attempt with the same idempotency key stored.
     *
     * @throws InvalidInputException (as the error signal) naming {@code Idempotency-Key} when the key was used for a
     *                               note of another title or description
     */
    public Mono<Note> execute(Command command) {
        return Mono.defer(() -> {
            Instant now = clock.instant();
            NoteId id = command.idempotencyKey().map(NoteId::fromIdempotencyKey).orElseGet(NoteId::generate);
            Mono<Note> created = notes.create(new Note(id, command.title(), command.description(), now, now));
            if (command.idempotencyKey().isEmpty()) {
                return created;
            }
            // The id is taken by a note of other content: this create's earlier attempt (its createdAt differs), or
            // another create with the same key.
            return created.onErrorResume(NoteIdTakenException.class, taken -> notes.findById(id)
                    .switchIfEmpty(Mono.error(taken))
                    .flatMap(stored -> stored.title().equals(command.title())
                            && stored.description().equals(command.description())
                            ? Mono.just(stored)
                            : Mono.error(new InvalidInputException(NoteId.IDEMPOTENCY_KEY_FIELD,
                                    "was already used to create a note with another title or description"))));
        });
    }
}
