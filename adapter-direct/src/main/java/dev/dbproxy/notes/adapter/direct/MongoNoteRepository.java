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
import dev.dbproxy.notes.core.port.NoteRepository;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.bson.types.ObjectId;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@link NoteRepository} over the MongoDB Reactive Streams driver. Notes are documents
 * {@code {_id: ObjectId, title, description, createdAt: Date, updatedAt: Date}}; the index
 * {@code {createdAt: -1, _id: -1}} serves the newest-first listing and is created once per instance, idempotently.
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
    private final Mono<Void> indexReady;

    MongoNoteRepository(MongoClient client, MongoDbSettings settings) {
        this.client = client;
        this.collection = client.getDatabase(settings.database()).getCollection(settings.collection());
        this.indexReady = Mono.from(collection.createIndex(
                        Indexes.descending(CREATED_AT, ID), new IndexOptions().name("newest_first")))
                .then()
                .cache(ignored -> Duration.ofMillis(Long.MAX_VALUE), error -> Duration.ZERO, () -> Duration.ZERO);
    }

    @Override
    public Mono<Note> findById(NoteId id) {
        return Mono.from(collection.find(eq(ID, new ObjectId(id.value()))).first())
                .map(MongoNoteRepository::toNote)
                .onErrorMap(e -> MongoErrors.toNotesException("findById", e));
    }

    @Override
    public Flux<Note> findByIds(Collection<NoteId> ids) {
        if (ids.isEmpty()) {
            return Flux.empty();
        }
        List<ObjectId> objectIds = ids.stream().distinct().map(id -> new ObjectId(id.value())).toList();
        return Flux.from(collection.find(in(ID, objectIds)))
                .map(MongoNoteRepository::toNote)
                .onErrorMap(e -> MongoErrors.toNotesException("findByIds", e));
    }

    @Override
    public Mono<NotePage> listNewestFirst(NotePageRequest request) {
        Bson filter = request.after().map(MongoNoteRepository::olderThan).orElse(new Document());
        return indexReady
                .thenMany(Flux.from(collection.find(filter).sort(NEWEST_FIRST).limit(request.limit() + 1)))
                .map(MongoNoteRepository::toNote)
                .collectList()
                .map(notes -> NotePage.fromLookahead(notes, request.limit()))
                .onErrorMap(e -> MongoErrors.toNotesException("listNewestFirst", e));
    }

    @Override
    public Mono<Note> create(Note note) {
        return Mono.from(collection.insertOne(toDocument(note)))
                .thenReturn(note)
                .onErrorResume(MongoNoteRepository::isDuplicateKey, duplicate -> existingRetryOf(note))
                .onErrorMap(e -> MongoErrors.toNotesException("create", e));
    }

    @Override
    public Mono<Note> update(NoteId id, NoteChanges changes, Instant updatedAt) {
        List<Bson> updates = new ArrayList<>();
        changes.title().ifPresent(title -> updates.add(Updates.set(TITLE, title)));
        changes.description().ifPresent(description -> updates.add(Updates.set(DESCRIPTION, description)));
        updates.add(Updates.set(UPDATED_AT, Date.from(updatedAt)));
        return Mono.from(collection.findOneAndUpdate(eq(ID, new ObjectId(id.value())), Updates.combine(updates),
                        new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER)))
                .map(MongoNoteRepository::toNote)
                .onErrorMap(e -> MongoErrors.toNotesException("update", e));
    }

    @Override
    public Mono<Boolean> delete(NoteId id) {
        return Mono.from(collection.deleteOne(eq(ID, new ObjectId(id.value()))))
                .map(result -> result.getDeletedCount() > 0)
                .onErrorMap(e -> MongoErrors.toNotesException("delete", e));
    }

    @Override
    public Mono<Long> count() {
        return Mono.from(collection.countDocuments())
                .onErrorMap(e -> MongoErrors.toNotesException("count", e));
    }

    @Override
    public void close() {
        client.close();
    }

    @Override
    public String toString() {
        return "MongoNoteRepository[" + collection.getNamespace() + "]";
    }

    /** A duplicate _id is a retry when the stored note has the same content; anything else is a conflict. */
    private Mono<Note> existingRetryOf(Note note) {
        return findById(note.id())
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
