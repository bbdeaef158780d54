package dev.dbproxy.notes.adapter.direct;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.in;
import static com.mongodb.client.model.Filters.lt;
import static com.mongodb.client.model.Filters.or;

import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoCollection;
import dev.dbproxy.lambda.environment.ReopenableClient;
import dev.dbproxy.mongodb.errors.MongoErrorClassifier;
import dev.dbproxy.mongodb.errors.MongoErrorKind;
import dev.dbproxy.notes.core.domain.Note;
import dev.dbproxy.notes.core.domain.NoteChanges;
import dev.dbproxy.notes.core.domain.NoteId;
import dev.dbproxy.notes.core.domain.NotePage;
import dev.dbproxy.notes.core.domain.NotePageRequest;
import dev.dbproxy.notes.core.domain.PageCursor;
import dev.dbproxy.notes.core.error.NoteIdTakenException;
import dev.dbproxy.notes.core.error.PermanentFailureException;
import dev.dbproxy.notes.core.port.CallerContext;
import dev.dbproxy.notes.core.port.NoteRepository;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.bson.types.ObjectId;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@link NoteRepository} over the MongoDB Reactive Streams driver. Notes are documents
 * {@code {_id: ObjectId, title, description, createdAt: Date, updatedAt: Date}}; the index
 * {@code {createdAt: -1, _id: -1}} serves the newest-first listing. The first listing of an instance creates it
 * (idempotently: nothing to do when it exists) and waits for it, outside any caller's deadline, which would make the
 * server abort a long index build that every listing would then start again; its own find then gets what is left.
 * A failure fails that listing, and the next one tries again.
 *
 * <p>A call made for a {@link CallerContext} runs each of its driver operations under the driver's client-side
 * operation timeout ({@code withTimeout}): the time then left until the caller's deadline, at most
 * {@code MONGODB_OPERATION_TIMEOUT_MS}. The driver then also sends the server a {@code maxTimeMS} of what is left after
 * the round trip, so the database gives up on a query nobody waits for. A call without one is bounded by the socket
 * read timeout ({@code MONGODB_OPERATION_TIMEOUT_MS}) and the server selection timeout.
 *
 * <p>The client is a {@link ReopenableClient}: closed before a SnapStart snapshot and built again by the first call
 * after the restore. Every call holds it (a lease) from its subscription until it terminates or is cancelled, so a
 * call racing the checkpoint finishes on an open client.
 */
final class MongoNoteRepository implements NoteRepository {

    private static final String ID = "_id";
    private static final String TITLE = "title";
    private static final String DESCRIPTION = "description";
    private static final String CREATED_AT = "createdAt";
    private static final String UPDATED_AT = "updatedAt";
    private static final Bson NEWEST_FIRST = Sorts.descending(CREATED_AT, ID);

    private final ReopenableClient<MongoClient> client;
    private final MongoDbSettings settings;
    private final Duration operationTimeout;
    /** Creates the listing's index once per instance; a failure is not kept, so the next listing tries again. */
    private final Mono<String> indexReady;

    MongoNoteRepository(ReopenableClient<MongoClient> client, MongoDbSettings settings) {
        this.client = client;
        this.settings = settings;
        this.operationTimeout = settings.operationTimeout();
        this.indexReady = withCollection(notes -> Mono.from(notes.createIndex(
                        Indexes.descending(CREATED_AT, ID), new IndexOptions().name("newest_first"))))
                // Kept as the index's name: an empty completion would not be cached, and every listing would
                // create the index again.
                .cache(ignored -> Duration.ofMillis(Long.MAX_VALUE), error -> Duration.ZERO, () -> Duration.ZERO);
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
        return Flux.deferContextual(context -> Flux.using(client::lease, lease -> {
            Attempt attempt = new Attempt("findByIds", CallerContext.from(context).orElse(null), collectionOf(lease));
            return Flux.from(attempt.notes().find(in(ID, objectIds))).onErrorMap(attempt::failure);
        }, ReopenableClient.Lease::close)).map(MongoNoteRepository::toNote);
    }

    @Override
    public Mono<NotePage> listNewestFirst(NotePageRequest request) {
        Bson filter = request.after().map(MongoNoteRepository::olderThan).orElse(new Document());
        return callWith("listNewestFirst", attempt -> indexReady
                .thenMany(Flux.defer(() -> Flux.from(attempt.notes().find(filter).sort(NEWEST_FIRST)
                        .limit(request.limit() + 1))))
                .map(MongoNoteRepository::toNote)
                .collectList()
                .map(found -> NotePage.fromLookahead(found, request.limit())));
    }

    @Override
    public Mono<Note> create(Note note) {
        // insertMany of one: its MongoBulkWriteException keeps a write concern error next to a duplicate key, where
        // insertOne's MongoWriteException drops it (and a retry would then pass for a success while unconfirmed).
        return callWith("create", attempt -> Mono.from(attempt.notes().insertMany(List.of(toDocument(note))))
                .thenReturn(note)
                .onErrorResume(MongoNoteRepository::isDuplicateKey,
                        duplicate -> Mono.defer(() -> existingRetryOf(attempt.notes(), note))));
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

    /**
     * {@inheritDoc}
     *
     * <p>Looks for a note by an id just generated, which no note has: the driver connects (the handshake, and the
     * authentication a real database asks for) and runs the code a {@code findById} takes.
     */
    @Override
    public Mono<Void> warmUp() {
        return withCollection(notes -> Mono.from(notes.find(eq(ID, new ObjectId())).first()))
                .then()
                .onErrorResume(error -> Mono.empty());
    }

    @Override
    public void close() {
        client.close();
    }

    @Override
    public String toString() {
        return "MongoNoteRepository[" + settings.database() + "." + settings.collection() + "]";
    }

    /** Runs {@code call} on the notes collection of the client, held from subscription until {@code call} ends. */
    private <T> Mono<T> withCollection(Function<MongoCollection<Document>, Mono<T>> call) {
        return Mono.using(client::lease, lease -> call.apply(collectionOf(lease)), ReopenableClient.Lease::close);
    }

    private MongoCollection<Document> collectionOf(ReopenableClient.Lease<MongoClient> lease) {
        return lease.client().getDatabase(settings.database()).getCollection(settings.collection());
    }

    /** Runs a call of one driver operation on the collection as {@link Attempt#notes()} gives it. */
    private <T> Mono<T> call(String operation, Function<MongoCollection<Document>, Mono<T>> operationOn) {
        return callWith(operation, attempt -> operationOn.apply(attempt.notes()));
    }

    /** Runs a call for the subscriber's caller, and turns driver exceptions into the core's errors. */
    private <T> Mono<T> callWith(String operation, Function<Attempt, Mono<T>> call) {
        return Mono.deferContextual(context -> Mono.using(client::lease, lease -> {
            Attempt attempt = new Attempt(operation, CallerContext.from(context).orElse(null), collectionOf(lease));
            return call.apply(attempt).onErrorMap(attempt::failure);
        }, ReopenableClient.Lease::close));
    }

    /** One repository call, made for {@code caller} ({@code null} outside a business invocation). */
    private final class Attempt {

        private final String operation;
        private final CallerContext caller;
        private final MongoCollection<Document> collection;

        Attempt(String operation, CallerContext caller, MongoCollection<Document> collection) {
            this.operation = operation;
            this.caller = caller;
            this.collection = collection;
        }

        /**
         * The collection for the call's next driver operation: under the time left until the caller's deadline (at
         * most the operation timeout) when there is a caller.
         *
         * @throws dev.dbproxy.notes.core.error.TransientFailureException once the caller's deadline has passed
         */
        MongoCollection<Document> notes() {
            if (caller == null) {
                return collection;
            }
            Duration remaining = caller.remaining();
            if (!remaining.isPositive()) {
                throw caller.deadlinePassed(operation);
            }
            Duration timeout = remaining.compareTo(operationTimeout) < 0 ? remaining : operationTimeout;
            // At least a millisecond: the driver reads a timeout of 0 as "no timeout".
            long timeoutMillis = Math.max(1, timeout.toMillis());
            return collection.withTimeout(timeoutMillis, TimeUnit.MILLISECONDS);
        }

        /** The core's error for a driver failure of this call. */
        Throwable failure(Throwable error) {
            return MongoErrors.toNotesException(operation, error);
        }
    }

    /** A duplicate _id is a retry when the stored note has the same content; anything else is a conflict. */
    private static Mono<Note> existingRetryOf(MongoCollection<Document> notes, Note note) {
        return Mono.from(notes.find(eq(ID, new ObjectId(note.id().value()))).first())
                .map(MongoNoteRepository::toNote)
                .filter(stored -> stored.sameContentAs(note))
                .switchIfEmpty(Mono.error(() ->
                        new NoteIdTakenException(note.id())));
    }

    private static boolean isDuplicateKey(Throwable error) {
        // A write concern error next to the duplicate key classifies as UNAVAILABLE: not a retry to answer here.
        return MongoErrorClassifier.classify(error).kind() == MongoErrorKind.DUPLICATE_KEY;
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
