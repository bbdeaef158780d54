package dev.dbproxy.notes.testkit;

import dev.dbproxy.notes.core.domain.Note;
import dev.dbproxy.notes.core.domain.NoteChanges;
import dev.dbproxy.notes.core.domain.NoteId;
import dev.dbproxy.notes.core.domain.NotePage;
import dev.dbproxy.notes.core.domain.NotePageRequest;
import dev.dbproxy.notes.core.error.NoteIdTakenException;
import dev.dbproxy.notes.core.error.PermanentFailureException;
import dev.dbproxy.notes.core.port.CallerContext;
import dev.dbproxy.notes.core.port.NoteRepository;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A {@link NoteRepository} in memory, for fast tests of code that uses the port (handlers, use cases). It passes the
 * same contract suite as the real adapters, so a test that passes against it means the same against MongoDB. Its
 * calls take no time, so a caller's deadline matters only when it has already passed.
 */
public final class InMemoryNoteRepository implements NoteRepository {

    /** Newest first: createdAt descending, then id descending. */
    public static final Comparator<Note> NEWEST_FIRST =
            Comparator.comparing(Note::createdAt).thenComparing(Note::id).reversed();

    private final Map<NoteId, Note> notes = new ConcurrentHashMap<>();

    @Override
    public Mono<Note> findById(NoteId id) {
        return withinDeadline("findById", Mono.fromSupplier(() -> notes.get(id)));
    }

    @Override
    public Flux<Note> findByIds(Collection<NoteId> ids) {
        return withinDeadline("findByIds", Mono.fromSupplier(() -> Set.copyOf(ids).stream().map(notes::get)
                .filter(note -> note != null).toList())).flatMapIterable(found -> found);
    }

    @Override
    public Mono<NotePage> listNewestFirst(NotePageRequest request) {
        return withinDeadline("listNewestFirst", Mono.fromSupplier(() -> {
            List<Note> lookahead = notes.values().stream()
                    .filter(note -> request.after().map(cursor -> cursor.precedes(note)).orElse(true))
                    .sorted(NEWEST_FIRST)
                    .limit(request.limit() + 1L)
                    .toList();
            return NotePage.fromLookahead(lookahead, request.limit());
        }));
    }

    @Override
    public Mono<Note> create(Note note) {
        return withinDeadline("create", Mono.fromSupplier(() -> {
            Note stored = notes.putIfAbsent(note.id(), note);
            if (stored == null) {
                return note;
            }
            if (stored.sameContentAs(note)) {
                return stored;
            }
            throw new NoteIdTakenException(note.id());
        }));
    }

    @Override
    public Mono<Note> update(NoteId id, NoteChanges changes, Instant updatedAt) {
        return withinDeadline("update",
                Mono.fromSupplier(() -> notes.computeIfPresent(id, (key, note) -> note.apply(changes, updatedAt))));
    }

    @Override
    public Mono<Boolean> delete(NoteId id) {
        return withinDeadline("delete", Mono.fromSupplier(() -> notes.remove(id) != null));
    }

    @Override
    public Mono<Long> count() {
        return withinDeadline("count", Mono.fromSupplier(() -> (long) notes.size()));
    }

    /** {@code call}, unless the subscriber's caller has given up already. */
    private static <T> Mono<T> withinDeadline(String operation, Mono<T> call) {
        return Mono.deferContextual(context -> CallerContext.from(context).filter(CallerContext::expired)
                .<Mono<T>>map(caller -> Mono.error(caller.deadlinePassed(operation)))
                .orElse(call));
    }
}
