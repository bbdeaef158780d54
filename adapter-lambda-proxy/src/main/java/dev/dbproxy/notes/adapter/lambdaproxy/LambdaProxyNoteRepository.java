package dev.dbproxy.notes.adapter.lambdaproxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dbproxy.notes.core.domain.Note;
import dev.dbproxy.notes.core.domain.NoteChanges;
import dev.dbproxy.notes.core.domain.NoteId;
import dev.dbproxy.notes.core.domain.NotePage;
import dev.dbproxy.notes.core.domain.NotePageRequest;
import dev.dbproxy.notes.core.domain.PageCursor;
import dev.dbproxy.notes.core.error.NoteIdTakenException;
import dev.dbproxy.notes.core.error.NotesException;
import dev.dbproxy.notes.core.error.PermanentFailureException;
import dev.dbproxy.notes.core.error.TransientFailureException;
import dev.dbproxy.notes.core.error.TransientFailureException.Reason;
import dev.dbproxy.notes.core.port.CallerContext;
import dev.dbproxy.notes.core.port.NoteRepository;
import dev.dbproxy.proxy.client.DbProxyClient;
import dev.dbproxy.proxy.client.DbProxyException;
import dev.dbproxy.proxy.client.FindOptions;
import dev.dbproxy.proxy.client.InvocationContext;
import dev.dbproxy.proxy.client.OperationResults;
import dev.dbproxy.proxy.client.ProxyCollection;
import dev.dbproxy.proxy.protocol.ErrorCode;
import dev.dbproxy.proxy.protocol.ExtendedJson;
import dev.dbproxy.proxy.protocol.OperationResult;
import dev.dbproxy.proxy.protocol.ProxyOperation;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@link NoteRepository} on the {@link DbProxyClient}: maps notes to the documents the direct adapter stores (so both
 * strategies share one collection) and the client's errors to the core's. The client coalesces concurrent calls of
 * one business invocation into one proxy invocation; an update is the unordered pair {@code [updateOne, findOne]},
 * so that it returns the changed note in the same round trip. A call made by a business invocation that put its
 * {@link CallerContext} into the Reactor context travels with that invocation's deadline and request id.
 */
final class LambdaProxyNoteRepository implements NoteRepository {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    /** The most ids one {@code find} asks for: the proxy's default {@code PROXY_MAX_FIND_LIMIT}. */
    static final int IDS_PER_FIND = 1_000;
    private static final ObjectNode NEWEST_FIRST = JSON.objectNode().put("createdAt", -1).put("_id", -1);

    private final DbProxyClient proxy;
    private final ProxyCollection notes;

    LambdaProxyNoteRepository(DbProxyClient proxy, LambdaProxySettings settings) {
        this.proxy = proxy;
        this.notes = proxy.database(settings.database()).collection(settings.collection());
    }

    @Override
    public Mono<Note> findById(NoteId id) {
        return asCaller("findById", notes.findOne(byId(id)).map(LambdaProxyNoteRepository::toNote));
    }

    /**
     * {@inheritDoc} Up to {@value #IDS_PER_FIND} ids (the proxy's default {@code PROXY_MAX_FIND_LIMIT}) are one
     * {@code find}, more are several, sent together; a {@code find} whose notes do not fit in one response
     * ({@code RESULT_TOO_LARGE}) is split in halves until they do.
     */
    @Override
    public Flux<Note> findByIds(Collection<NoteId> ids) {
        List<NoteId> distinct = ids.stream().distinct().toList();
        int finds = (distinct.size() + IDS_PER_FIND - 1) / IDS_PER_FIND;
        return Flux.range(0, finds).flatMap(find -> asCaller("findByIds", findAmong(
                distinct.subList(find * IDS_PER_FIND, Math.min(distinct.size(), (find + 1) * IDS_PER_FIND)))))
                .flatMapIterable(found -> found);
    }

    private Mono<List<Note>> findAmong(List<NoteId> ids) {
        ArrayNode in = JSON.arrayNode();
        ids.forEach(id -> in.add(ExtendedJson.objectId(id.value())));
        ObjectNode filter = JSON.objectNode().set("_id", JSON.objectNode().set("$in", in));
        return notes.find(filter, FindOptions.none().withLimit(ids.size()))
                .map(LambdaProxyNoteRepository::toNote).collectList()
                .onErrorResume(error -> ids.size() > 1 && tooLarge(error), error -> findAmong(ids.subList(0,
                        ids.size() / 2)).concatWith(findAmong(ids.subList(ids.size() / 2, ids.size())))
                        .flatMapIterable(half -> half).collectList());
    }

    @Override
    public Mono<NotePage> listNewestFirst(NotePageRequest request) {
        ObjectNode filter = request.after().map(LambdaProxyNoteRepository::olderThan).orElseGet(JSON::objectNode);
        return asCaller("listNewestFirst", page(filter, request.limit()));
    }

    /**
     * A page of at most {@code limit} notes and a look-ahead; when they do not fit in the proxy's response
     * ({@code RESULT_TOO_LARGE}), a page of half as many whose cursor leads on, down to {@link #onePage one note}.
     */
    private Mono<NotePage> page(ObjectNode filter, int limit) {
        return notes.find(filter, FindOptions.none().withSort(NEWEST_FIRST).withLimit(limit + 1))
                .map(LambdaProxyNoteRepository::toNote).collectList()
                .map(found -> NotePage.fromLookahead(found, limit))
                .onErrorResume(LambdaProxyNoteRepository::tooLarge,
                        error -> limit > 1 ? page(filter, limit / 2) : onePage(filter));
    }

    /**
     * A page of one note whose look-ahead is only the ids of the first two notes, in the same invocation: two of the
     * longest notes may not fit in the proxy's smallest response limit, one always does. The look-ahead does not skip
     * by position, so a note deleted between the two reads cannot hide the one after it.
     */
    private Mono<NotePage> onePage(ObjectNode filter) {
        ObjectNode idOnly = JSON.objectNode().put("_id", 1);
        return proxy.unorderedBatch(List.of(
                        new ProxyOperation.Find(notes.namespace(), filter, JSON.objectNode(), NEWEST_FIRST, 1, 0),
                        new ProxyOperation.Find(notes.namespace(), filter, idOnly, NEWEST_FIRST, 2, 0)))
                .map(outcomes -> {
                    List<Note> page = OperationResults.require(outcomes.get(0), OperationResult.FoundMany.class)
                            .documents().stream().map(LambdaProxyNoteRepository::toNote).toList();
                    boolean more = !page.isEmpty() && OperationResults.require(outcomes.get(1),
                                    OperationResult.FoundMany.class).documents().stream()
                            .map(document -> ExtendedJson.readObjectId(document.get("_id")))
                            .anyMatch(id -> !id.equals(page.getFirst().id().value()));
                    return new NotePage(page, more ? Optional.of(PageCursor.after(page.getLast())) : Optional.empty());
                });
    }

    @Override
    public Mono<Note> create(Note note) {
        return asCaller("create", notes.insertOne(toDocument(note)).thenReturn(note)
                .onErrorResume(error -> error instanceof DbProxyException refused
                                && refused.hasProxyCode(ErrorCode.DUPLICATE_KEY),
                        duplicate -> findById(note.id())
                                .filter(stored -> stored.sameContentAs(note))
                                .switchIfEmpty(Mono.error(() -> new NoteIdTakenException(note.id())))));
    }

    @Override
    public Mono<Note> update(NoteId id, NoteChanges changes, Instant updatedAt) {
        ObjectNode set = JSON.objectNode();
        changes.title().ifPresent(title -> set.put("title", title));
        changes.description().ifPresent(description -> set.put("description", description));
        set.set("updatedAt", ExtendedJson.date(updatedAt));
        ObjectNode update = JSON.objectNode().set("$set", set);
        return asCaller("update", proxy.unorderedBatch(List.of(
                        ProxyOperation.updateOne(notes.namespace(), byId(id), update),
                        ProxyOperation.findOne(notes.namespace(), byId(id))))
                .filter(outcomes -> OperationResults.require(outcomes.get(0), OperationResult.Updated.class)
                        .matchedCount() > 0)
                .map(outcomes -> OperationResults.require(outcomes.get(1), OperationResult.FoundOne.class))
                .filter(OperationResult.FoundOne::found)
                .map(found -> toNote(found.document())));
    }

    @Override
    public Mono<Boolean> delete(NoteId id) {
        return asCaller("delete", notes.deleteOne(byId(id)).map(deleted -> deleted > 0));
    }

    @Override
    public Mono<Long> count() {
        return asCaller("count", notes.countDocuments(JSON.objectNode()));
    }

    /** Maps a note to its document and back, then warms the client up ({@link DbProxyClient#warmUp()}). */
    @Override
    public Mono<Void> warmUp() {
        return Mono.fromRunnable(() -> toNote(toDocument(new Note(new NoteId("0".repeat(24)), "warm-up", "",
                        Instant.now(), Instant.now()))))
                .onErrorResume(error -> Mono.empty())
                .then(proxy.warmUp());
    }

    @Override
    public void close() {
        proxy.close();
    }

    @Override
    public String toString() {
        return "LambdaProxyNoteRepository[" + notes.namespace() + "]";
    }

    /** Throttled invocations this repository retried so far. */
    long throttleRetries() {
        return proxy.metrics().throttleRetries();
    }

    /**
     * {@code work} on behalf of the business invocation in the Reactor context, if any: not at all once its deadline
     * has passed, else with its deadline and request id handed to the client; the client's errors as the core's.
     */
    private static <T> Mono<T> asCaller(String repositoryCall, Mono<T> work) {
        return Mono.deferContextual(context -> {
            Optional<CallerContext> caller = CallerContext.from(context);
            if (caller.isPresent() && caller.get().expired()) {
                return Mono.<T>error(caller.get().deadlinePassed(repositoryCall));
            }
            return caller.map(invocation -> work.contextWrite(new InvocationContext(invocation.requestId(),
                    invocation.deadline())::into)).orElse(work);
        }).onErrorMap(DbProxyException.class, LambdaProxyNoteRepository::toNotesException);
    }

    private static NotesException toNotesException(DbProxyException error) {
        return switch (error.kind()) {
            case THROTTLED -> new TransientFailureException(Reason.THROTTLED, error.getMessage(), error.retryAfter(),
                    error);
            case UNAVAILABLE -> new TransientFailureException(Reason.UNAVAILABLE, error.getMessage(),
                    error.retryAfter(), error);
            case TIMEOUT -> new TransientFailureException(Reason.TIMEOUT, error.getMessage(), error.retryAfter(),
                    error);
            case REFUSED, PERMANENT -> new PermanentFailureException(error.getMessage(), error);
        };
    }

    private static boolean tooLarge(Throwable error) {
        return error instanceof DbProxyException refused && refused.hasProxyCode(ErrorCode.RESULT_TOO_LARGE);
    }

    private static ObjectNode byId(NoteId id) {
        return JSON.objectNode().set("_id", ExtendedJson.objectId(id.value()));
    }

    /** Notes after {@code cursor} in newest-first order: created earlier, or at the same time with a lower id. */
    private static ObjectNode olderThan(PageCursor cursor) {
        ObjectNode older = JSON.objectNode().set("createdAt", JSON.objectNode().set("$lt",
                ExtendedJson.date(cursor.createdAt())));
        ObjectNode tie = JSON.objectNode().set("createdAt", ExtendedJson.date(cursor.createdAt()));
        tie.putObject("_id").set("$lt", ExtendedJson.objectId(cursor.id().value()));
        ObjectNode filter = JSON.objectNode();
        filter.putArray("$or").add(older).add(tie);
        return filter;
    }

    private static ObjectNode toDocument(Note note) {
        ObjectNode document = byId(note.id()).put("title", note.title()).put("description", note.description());
        document.set("createdAt", ExtendedJson.date(note.createdAt()));
        return document.set("updatedAt", ExtendedJson.date(note.updatedAt()));
    }

    private static Note toNote(JsonNode document) {
        return new Note(
                new NoteId(ExtendedJson.readObjectId(document.get("_id"))),
                document.path("title").asText(),
                document.path("description").asText(),
                ExtendedJson.readDate(document.get("createdAt")),
                ExtendedJson.readDate(document.get("updatedAt")));
    }
}
