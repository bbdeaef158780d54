package dev.dbproxy.notes.core.port;

import dev.dbproxy.notes.core.domain.Note;
import dev.dbproxy.notes.core.domain.NoteChanges;
import dev.dbproxy.notes.core.domain.NoteId;
import dev.dbproxy.notes.core.domain.NotePage;
import dev.dbproxy.notes.core.domain.NotePageRequest;
import java.time.Instant;
import java.util.Collection;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Where notes are stored. Implementations are adapters (the MongoDB driver, the DB proxy Lambda, memory).
 *
 * <p><b>Non-blocking by contract:</b> no method blocks the calling thread; all work happens on subscription. Each
 * publisher may fail with a {@link dev.dbproxy.notes.core.error.NotesException}: a
 * {@link dev.dbproxy.notes.core.error.TransientFailureException} when the store is unreachable, throttled or too slow,
 * a {@link dev.dbproxy.notes.core.error.PermanentFailureException} otherwise. Absence is never an error at this level:
 * it is an empty publisher or {@code false}, and the use cases decide what it means.
 *
 * <p><b>Deadlines:</b> a call whose subscriber's Reactor context carries a {@link CallerContext} never keeps the store
 * busy for a caller that has given up. Made after the caller's deadline, it fails at once with
 * {@link CallerContext#deadlinePassed(String)} (a {@code TIMEOUT}) and reaches no store, so it changes nothing; made
 * before, it is bounded by the deadline as well as by the adapter's own timeouts, and one still running when the
 * deadline passes fails with a {@code TIMEOUT} (a write may then have been applied, see
 * {@link dev.dbproxy.notes.core.error.TransientFailureException}).
 *
 * <p>An instance is built once per execution environment and shared by all requests; {@link #close()} releases its
 * connections when the environment shuts down gracefully.
 */
public interface NoteRepository extends AutoCloseable {

    /** Emits the note with this id, or completes empty when there is none. */
    Mono<Note> findById(NoteId id);

    /**
     * Emits the notes with these ids, in no particular order, in one round trip to the store (an adapter whose store
     * caps what one round trip may carry says how it splits a larger set). Ids without a note are skipped; an empty
     * collection completes empty at once.
     */
    Flux<Note> findByIds(Collection<NoteId> ids);

    /**
     * Emits one page of notes, newest first (by createdAt, then id, both descending), continuing strictly after the
     * request's cursor. Notes inserted while a caller pages never cause a duplicate or a gap among older notes. A page
     * holds at most the request's limit, and may hold fewer while more notes follow (an adapter whose store caps what
     * one round trip may carry returns a shorter page of long notes): the next cursor, not the page's size, says
     * whether more follow.
     */
    Mono<NotePage> listNewestFirst(NotePageRequest request);

    /**
     * Stores a new note and emits it as stored.
     *
     * <p>Idempotent: storing a note whose id already exists with the same content (a retry) emits the stored note and
     * changes nothing. An existing note with the same id but other content fails with
     * {@link dev.dbproxy.notes.core.error.NoteIdTakenException} (a permanent failure).
     */
    Mono<Note> create(Note note);

    /**
     * Applies the changes to the note with this id, sets its updatedAt, and emits the note as it is now; completes
     * empty when there is no such note.
     */
    Mono<Note> update(NoteId id, NoteChanges changes, Instant updatedAt);

    /** Deletes the note with this id; emits {@code true} when a note was deleted, {@code false} when there was none. */
    Mono<Boolean> delete(NoteId id);

    /** Emits how many notes are stored. */
    Mono<Long> count();

    /**
     * Prepares this repository for its first call, so that an execution environment can pay during its init what its
     * first request would otherwise pay: an adapter opens its connection or loads and runs the code its calls take,
     * without reading or changing any note. Completes empty, also when that fails (the first call reports what is
     * wrong); bounded by the adapter's own timeouts. The default does nothing.
     */
    default Mono<Void> warmUp() {
        return Mono.empty();
    }

    /** Releases connections and threads. The default does nothing; adapters holding clients override it. */
    @Override
    default void close() {
    }
}
