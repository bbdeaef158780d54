package dev.dbproxy.notes.adapter.direct;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.in;
import static com.mongodb.client.model.Filters.lt;
import static com.mongodb.client.model.Filters.or;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoCollection;
import dev.dbproxy.notes.core.domain.Note;
import dev.dbproxy.notes.core.domain.NoteChanges;
import dev.dbproxy.notes.core.domain.NoteId;
import dev.dbproxy.notes.core.domain.NotePage;
import dev.dbproxy.notes.core.domain.NotePageRequest;
import dev.dbproxy.notes.core.domain.PageCursor;
import dev.dbproxy.notes.core.error.PermanentFailureException;
import dev.dbproxy.notes.core.port.CallerContext;
import dev.dbproxy.notes.core.port.NoteRepository;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.bson.types.ObjectId;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.context.ContextView;

/**
 * {@link NoteRepository} over the MongoDB Reactive Streams driver. Notes are documents
 * {@code {_id: ObjectId, title, description, createdAt: Date, updatedAt: Date}}; the index
 * {@code {createdAt: -1, _id: -1}} serves the newest-first listing and is created by the first listing of an
 * instance, idempotently.
 *
 * <p>A call made for a {@link CallerContext} runs under the driver's client-side operation timeout
 * ({@code withTimeout}): the time left until the caller's deadline, at most {@code MONGODB_OPERATION_TIMEOUT_MS}. The
 * driver then also sends the server a {@code maxTimeMS} of what is left after the round trip, so the database gives
 * up on a query nobody waits for. A call without one is bounded by the socket read timeout
 * ({@code MONGODB_OPERATION_TIMEOUT_MS}) and the server selection timeout.
 */
final class MongoNoteRepository implements NoteRepository {

    private static final String ID = "_id";
    private static final String TITLE = "title";
    private static final String DESCRIPTION = "description";
    private static final String CREATED_AT = "createdAt";
    private static final String UPDATED_AT = "updatedAt";
    private static final Bson NEWEST_FIRST = Sorts.descending(CREATED_AT, ID);

    private final MongoClient client;
    private final MongoCollection<Document> collection;
    private final Duration operationTimeout;
    private final AtomicBoolean indexCreated = new AtomicBoolean();

    MongoNoteRepository(MongoClient client, MongoDbSettings settings) {
        this.client = client;
        this.collection = client.getDatabase(settings.database()).getCollection(settings.collection());
        this.operationTimeout = settings.operationTimeout();
    }

    @Override
    public Mono<Note> findById(NoteId id) {
        return call("findById", notes -> Mono.from(notes.find(eq(ID, new ObjectId(id.value()))).first()))
                .map(MongoNoteRepository::toNote);
    }

    @Override
    public Flux<Note> findByIds(Collection<NoteId> ids) {
        if (ids.isEmpty()) {
            return Flux.empty();
        }
        List<ObjectId> objectIds = ids.stream().distinct().map(id -> new ObjectId(id.value())).toList();
        return Flux.deferContextual(context -> {
            Attempt attempt = attempt("findByIds", context);
            return Flux.from(attempt.notes().find(in(ID, objectIds))).onErrorMap(attempt::failure);
        }).map(MongoNoteRepository::toNote);
    }

    @Override
    public Mono<NotePage> listNewestFirst(NotePageRequest request) {
        Bson filter = request.after().map(MongoNoteRepository::olderThan).orElse(new Document());
        return call("listNewestFirst", notes -> indexReady(notes)
                .thenMany(Flux.from(notes.find(filter).sort(NEWEST_FIRST).limit(request.limit() + 1)))
                .map(MongoNoteRepository::toNote)
                .collectList()
                .map(found -> NotePage.fromLookahead(found, request.limit())));
    }

    @Override
    public Mono<Note> create(Note note) {
        return call("create", notes -> Mono.from(notes.insertOne(toDocument(note)))
                .thenReturn(note)
                .onErrorResume(MongoNoteRepository::isDuplicateKey, duplicate -> existingRetryOf(notes, note)));
    }

    @Override
    public Mono<Note> update(NoteId id, NoteChanges changes, Instant updatedAt) {
        List<Bson> updates = new ArrayList<>();
        changes.title().ifPresent(title -> updates.add(Updates.set(TITLE, title)));
        changes.description().ifPresent(description -> updates.add(Updates.set(DESCRIPTION, description)));
        updates.add(Updates.set(UPDATED_AT, Date.from(updatedAt)));
        return call("update", notes -> Mono.from(notes.findOneAndUpdate(eq(ID, new ObjectId(id.value())),
                        Updates.combine(updates), new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER))))
                .map(MongoNoteRepository::toNote);
    }

    @Override
    public Mono<Boolean> delete(NoteId id) {
        return call("delete", notes -> Mono.from(notes.deleteOne(eq(ID, new ObjectId(id.value())))))
                .map(result -> result.getDeletedCount() > 0);
    }

    @Override
    public Mono<Long> count() {
        return call("count", notes -> Mono.from(notes.countDocuments()));
    }

    @Override
    public void close() {
        client.close();
    }

    @Override
    public String toString() {
        return "MongoNoteRepository[" + collection.getNamespace() + "]";
    }

    /** Runs {@code operation} as {@link #attempt} allows, and turns driver exceptions into the core's errors. */
    private <T> Mono<T> call(String operation, Function<MongoCollection<Document>, Mono<T>> operationOn) {
        return Mono.deferContextual(context -> {
            Attempt attempt = attempt(operation, context);
            return operationOn.apply(attempt.notes()).onErrorMap(attempt::failure);
        });
    }

    /**
     * The collection as the subscriber's caller may use it now: under the time left until its deadline (at most the
     * operation timeout) when it has one.
     *
     * @throws dev.dbproxy.notes.core.error.TransientFailureException once the caller's deadline has passed
     */
    private Attempt attempt(String operation, ContextView context) {
        Optional<CallerContext> caller = CallerContext.from(context);
        if (caller.isEmpty()) {
            return new Attempt(operation, collection, 0, 0);
        }
        Duration remaining = caller.get().remaining();
        if (!remaining.isPositive()) {
            throw caller.get().deadlinePassed(operation);
        }
        // At least a millisecond: the driver reads a timeout of 0 as "no timeout".
        long timeoutMillis = Math.max(1, Math.min(remaining.toMillis(), operationTimeout.toMillis()));
        return new Attempt(operation, collection.withTimeout(timeoutMillis, TimeUnit.MILLISECONDS),
                TimeUnit.MILLISECONDS.toNanos(timeoutMillis), System.nanoTime());
    }

    /**
     * One call's view of the collection, started at {@code startedNanos} under a client-side timeout of
     * {@code timeoutNanos} (0 for none).
     */
    private record Attempt(String operation, MongoCollection<Document> notes, long timeoutNanos, long startedNanos) {

        /**
         * The core's error for a driver failure. The driver reports any wait that ends under a client-side timeout
         * as an operation timeout, a server selection that gave up long before it too: only one that came near the
         * timeout is the caller's deadline at work.
         */
        Throwable failure(Throwable error) {
            boolean ranOutOfTime = timeoutNanos > 0 && System.nanoTime() - startedNanos >= timeoutNanos / 10 * 9;
            return MongoErrors.toNotesException(operation, error, ranOutOfTime);
        }
    }

    /** Creates the listing's index the first time a listing succeeds in doing so; the call is idempotent. */
    private Mono<Void> indexReady(MongoCollection<Document> notes) {
        if (indexCreated.get()) {
            return Mono.empty();
        }
        return Mono.from(notes.createIndex(Indexes.descending(CREATED_AT, ID), new IndexOptions().name("newest_first")))
                .doOnSuccess(created -> indexCreated.set(true))
                .then();
    }

    /** A duplicate _id is a retry when the stored note has the same content; anything else is a conflict. */
    private static Mono<Note> existingRetryOf(MongoCollection<Document> notes, Note note) {
        return Mono.from(notes.find(eq(ID, new ObjectId(note.id().value()))).first())
                .map(MongoNoteRepository::toNote)
                .filter(stored -> stored.sameContentAs(note))
                .switchIfEmpty(Mono.error(() -> new PermanentFailureException("another note already has id " + note.id())));
    }

    private static boolean isDuplicateKey(Throwable error) {
        return error instanceof MongoWriteException write
                && write.getError().getCategory() == ErrorCategory.DUPLICATE_KEY;
    }

    private static Bson olderThan(PageCursor cursor) {
        Date createdAt = Date.from(cursor.createdAt());
        return or(lt(CREATED_AT, createdAt), and(eq(CREATED_AT, createdAt), lt(ID, new ObjectId(cursor.id().value()))));
    }

    private static Document toDocument(Note note) {
        return new Document(ID, new ObjectId(note.id().value()))
                .append(TITLE, note.title())
                .append(DESCRIPTION, note.description())
                .append(CREATED_AT, Date.from(note.createdAt()))
                .append(UPDATED_AT, Date.from(note.updatedAt()));
    }

    private static Note toNote(Document document) {
        return new Note(
                new NoteId(document.getObjectId(ID).toHexString()),
                document.getString(TITLE),
                document.getString(DESCRIPTION),
                document.getDate(CREATED_AT).toInstant(),
                document.getDate(UPDATED_AT).toInstant());
    }
}
