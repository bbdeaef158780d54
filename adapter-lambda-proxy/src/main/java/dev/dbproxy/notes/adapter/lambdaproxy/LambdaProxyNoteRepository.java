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
import dev.dbproxy.proxy.protocol.ErrorCode;
import dev.dbproxy.proxy.protocol.ExtendedJson;
import dev.dbproxy.proxy.protocol.ExtendedJsonMode;
import dev.dbproxy.proxy.protocol.Namespace;
import dev.dbproxy.proxy.protocol.OperationOutcome;
import dev.dbproxy.proxy.protocol.OperationResult;
import dev.dbproxy.proxy.protocol.ProxyError;
import dev.dbproxy.proxy.protocol.ProxyJsonCodec;
import dev.dbproxy.proxy.protocol.ProxyOperation;
import dev.dbproxy.proxy.protocol.ProxyRequest;
import dev.dbproxy.proxy.protocol.ProxyResponse;
import dev.dbproxy.proxy.protocol.ResponseMetadata;
import java.time.Duration;
import java.time.Instant;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@link NoteRepository} that sends every operation to the DB proxy Lambda function in the proxy protocol
 * ({@code proxy-protocol/PROTOCOL.md}). Calls made concurrently are coalesced into one unordered batch (one
 * invocation; the proxy runs its operations one after another, in order, each with its own outcome): reads with reads,
 * writes with writes, and only calls of the same business invocation. An update is the pair
 * {@code [updateOne, findOne]}, so that it returns the changed note in the same round trip. Notes are stored exactly as
 * the direct adapter stores them, so both strategies share one collection. A call made by a business invocation that
 * put its {@link CallerContext} into the Reactor context travels with that invocation's deadline (when earlier than
 * {@code NOTES_PROXY_DEADLINE_MS} from now) and request id.
 */
final class LambdaProxyNoteRepository implements NoteRepository {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final Duration RETRY_AFTER = Duration.ofSeconds(1);
    /** The most ids one {@code find} asks for: the proxy's default {@code PROXY_MAX_FIND_LIMIT}. */
    static final int IDS_PER_FIND = 1_000;
    private static final NoteId WARM_UP_ID = new NoteId("000000000000000000000000");
    /** Room left in the protocol's 128-character request id for the sequence number after the caller's id. */
    private static final int MAX_CALLER_ID = ProxyRequest.MAX_REQUEST_ID_LENGTH - 24;

    private final ProxyInvoker invoker;
    private final Runnable closeClient;
    private final Namespace namespace;
    private final Duration deadline;
    private final ProxyJsonCodec codec = ProxyJsonCodec.create();
    /** Every repository call, as the operations it needs; concurrent calls share one unordered batch. */
    private final OperationBatcher<Call, List<OperationOutcome>> calls;
    private final AtomicLong requestsSent = new AtomicLong();
    /**
     * Leads the ids of requests made outside a business invocation: random once per repository, so that a request id
     * costs no random numbers (a system call each) and still names one request of one environment.
     */
    private final String ownRequestIds = randomRequestIdPrefix();

    LambdaProxyNoteRepository(ProxyInvoker invoker, Runnable closeClient, LambdaProxySettings settings) {
        this.invoker = invoker;
        this.closeClient = closeClient;
        this.namespace = Namespace.of(settings.database(), settings.collection());
        this.deadline = settings.deadline();
        this.calls = OperationBatcher.start(settings.batchWindow(), settings.maxBatchSize(),
                call -> call.operations().size(), Call::batchKey, this::sendBatch, "notes-proxy-batcher");
    }

    @Override
    public Mono<Note> findById(NoteId id) {
        return submit("findById", ProxyOperation.findOne(namespace, byId(id)))
                .flatMap(outcome -> succeeded(outcome, OperationResult.FoundOne.class))
                .filter(OperationResult.FoundOne::found)
                .map(found -> toNote(found.document()));
    }

    /**
     * {@inheritDoc}
     *
     * <p>Up to {@value #IDS_PER_FIND} ids are one {@code find}; more are split into several, which leave together as
     * one batch (one invocation for up to {@code NOTES_PROXY_MAX_BATCH_SIZE} of them), because the proxy caps the
     * documents one {@code find} may return ({@code PROXY_MAX_FIND_LIMIT}, 1,000 by default; a proxy configured
     * lower refuses larger finds with {@code VALIDATION}). A {@code find} whose notes do not fit in one response
     * ({@code RESULT_TOO_LARGE}) is split in halves, sent one after the other, until they do.
     */
    @Override
    public Flux<Note> findByIds(Collection<NoteId> ids) {
        List<NoteId> distinct = ids.stream().distinct().toList();
        if (distinct.size() <= IDS_PER_FIND) {
            return distinct.isEmpty() ? Flux.empty() : findAmong(distinct);
        }
        int finds = (distinct.size() + IDS_PER_FIND - 1) / IDS_PER_FIND;
        return Flux.range(0, finds).flatMap(find -> findAmong(
                distinct.subList(find * IDS_PER_FIND, Math.min(distinct.size(), (find + 1) * IDS_PER_FIND))));
    }

    private Flux<Note> findAmong(List<NoteId> ids) {
        ArrayNode in = JSON.arrayNode();
        ids.forEach(id -> in.add(ExtendedJson.objectId(id.value())));
        ObjectNode filter = JSON.objectNode();
        filter.putObject("_id").set("$in", in);
        return submit("findByIds",
                        new ProxyOperation.Find(namespace, filter, JSON.objectNode(), JSON.objectNode(), in.size(), 0))
                .flatMapMany(outcome -> {
                    if (ids.size() > 1 && tooLarge(outcome)) {
                        int half = ids.size() / 2;
                        return Flux.concat(findAmong(ids.subList(0, half)), findAmong(ids.subList(half, ids.size())));
                    }
                    return succeeded(outcome, OperationResult.FoundMany.class)
                            .flatMapIterable(OperationResult.FoundMany::documents)
                            .map(LambdaProxyNoteRepository::toNote);
                });
    }

    @Override
    public Mono<NotePage> listNewestFirst(NotePageRequest request) {
        ObjectNode filter = request.after().map(LambdaProxyNoteRepository::olderThan).orElseGet(JSON::objectNode);
        ObjectNode sort = JSON.objectNode().put("createdAt", -1).put("_id", -1);
        return page(filter, sort, request.limit());
    }

    /**
     * A page of at most {@code limit} notes, read with one more as the look-ahead. When they do not fit in the proxy's
     * response ({@code RESULT_TOO_LARGE}: long notes of characters the JSON escapes), a page of half as many, whose
     * cursor leads on to the rest, down to {@link #onePage one note}.
     */
    private Mono<NotePage> page(ObjectNode filter, ObjectNode sort, int limit) {
        return submit("listNewestFirst",
                        new ProxyOperation.Find(namespace, filter, JSON.objectNode(), sort, limit + 1, 0))
                .flatMap(outcome -> !tooLarge(outcome)
                        ? succeeded(outcome, OperationResult.FoundMany.class).map(found -> NotePage.fromLookahead(
                                found.documents().stream().map(LambdaProxyNoteRepository::toNote).toList(), limit))
                        : limit > 1 ? page(filter, sort, limit / 2) : onePage(filter, sort));
    }

    /**
     * A page of one note whose look-ahead is only the ids of the first two notes, in the same invocation: two of the
     * longest notes may not fit in the proxy's smallest response limit, one always does. The look-ahead does not skip
     * by position, so a note deleted between the two reads cannot hide the one after it.
     */
    private Mono<NotePage> onePage(ObjectNode filter, ObjectNode sort) {
        ObjectNode idOnly = JSON.objectNode().put("_id", 1);
        return submitCall("listNewestFirst", List.of(
                        new ProxyOperation.Find(namespace, filter, JSON.objectNode(), sort, 1, 0),
                        new ProxyOperation.Find(namespace, filter, idOnly, sort, 2, 0)))
                .flatMap(outcomes -> succeeded(outcomes.get(0), OperationResult.FoundMany.class)
                        .zipWith(succeeded(outcomes.get(1), OperationResult.FoundMany.class)))
                .map(found -> {
                    List<Note> notes = found.getT1().documents().stream().map(LambdaProxyNoteRepository::toNote)
                            .toList();
                    boolean more = !notes.isEmpty() && found.getT2().documents().stream()
                            .map(document -> ExtendedJson.readObjectId(document.get("_id")))
                            .anyMatch(id -> !id.equals(notes.getFirst().id().value()));
                    return new NotePage(notes, more ? Optional.of(PageCursor.after(notes.getLast()))
                            : Optional.empty());
                });
    }

    @Override
    public Mono<Note> create(Note note) {
        return submit("create", ProxyOperation.insertOne(namespace, toDocument(note)))
                .flatMap(outcome -> {
                    if (outcome instanceof OperationOutcome.Failed failed
                            && failed.error().code() == ErrorCode.DUPLICATE_KEY) {
                        return findById(note.id())
                                .filter(stored -> stored.sameContentAs(note))
                                .switchIfEmpty(Mono.error(() -> new NoteIdTakenException(note.id())));
                    }
                    return succeeded(outcome, OperationResult.InsertedOne.class).thenReturn(note);
                });
    }

    @Override
    public Mono<Note> update(NoteId id, NoteChanges changes, Instant updatedAt) {
        ObjectNode set = JSON.objectNode();
        changes.title().ifPresent(title -> set.put("title", title));
        changes.description().ifPresent(description -> set.put("description", description));
        set.set("updatedAt", ExtendedJson.date(updatedAt));
        ObjectNode update = JSON.objectNode();
        update.set("$set", set);
        return submitCall("update", List.of(ProxyOperation.updateOne(namespace, byId(id), update),
                        ProxyOperation.findOne(namespace, byId(id))))
                .flatMap(outcomes -> succeeded(outcomes.get(0), OperationResult.Updated.class)
                        .filter(updated -> updated.matchedCount() > 0)
                        .flatMap(updated -> succeeded(outcomes.get(1), OperationResult.FoundOne.class)))
                .filter(OperationResult.FoundOne::found)
                .map(found -> toNote(found.document()));
    }

    @Override
    public Mono<Boolean> delete(NoteId id) {
        return submit("delete", ProxyOperation.deleteOne(namespace, byId(id)))
                .flatMap(outcome -> succeeded(outcome, OperationResult.Deleted.class))
                .map(deleted -> deleted.deletedCount() > 0);
    }

    @Override
    public Mono<Long> count() {
        return submit("count", ProxyOperation.countDocuments(namespace, JSON.objectNode()))
                .flatMap(outcome -> succeeded(outcome, OperationResult.Counted.class))
                .map(OperationResult.Counted::count);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Writes the request of a {@code findById} and reads the answer it would get, without sending either (the
     * protocol's code), then invokes the proxy function with {@code DryRun} (the SDK's request path and the connection
     * to the Lambda endpoint; Lambda does not run the function, so the proxy and the database see nothing).
     */
    @Override
    public Mono<Void> warmUp() {
        return Mono.fromRunnable(this::writeAndReadAFindById).onErrorResume(error -> Mono.empty())
                .then(invoker.dryRun());
    }

    private void writeAndReadAFindById() {
        Note note = new Note(WARM_UP_ID, "warm-up", "", Instant.now(), Instant.now());
        codec.writeRequest(ProxyRequest.builder()
                .requestId(requestId(ownRequestIds, 0))
                .deadline(Instant.now().plus(deadline))
                .ordered(false)
                .extendedJsonMode(ExtendedJsonMode.CANONICAL)
                .addAll(List.of(ProxyOperation.findOne(namespace, byId(note.id()))))
                .build());
        ProxyResponse.Completed answer = (ProxyResponse.Completed) responseOf(codec.writeResponse(
                new ProxyResponse.Completed("warm-up",
                        List.of(new OperationOutcome.Succeeded(new OperationResult.FoundOne(toDocument(note)))),
                        new ResponseMetadata(false, "warm-up", 0))));
        OperationOutcome.Succeeded found = (OperationOutcome.Succeeded) answer.outcomes().getFirst();
        toNote(((OperationResult.FoundOne) found.result()).document());
    }

    @Override
    public void close() {
        calls.close();
        closeClient.run();
    }

    @Override
    public String toString() {
        return "LambdaProxyNoteRepository[" + namespace.database() + "." + namespace.collection() + "]";
    }

    /** Throttled invocations this repository retried so far. */
    long throttleRetries() {
        return invoker.throttleRetries();
    }

    private Mono<OperationOutcome> submit(String repositoryCall, ProxyOperation operation) {
        return submitCall(repositoryCall, List.of(operation)).map(List::getFirst);
    }

    /**
     * The outcomes of {@code operations}, sent with whatever else is called concurrently, within the deadline of the
     * business invocation making the call ({@link CallerContext}) and never past this adapter's own budget; not at
     * all, and without invoking the proxy, once that deadline has passed.
     */
    private Mono<List<OperationOutcome>> submitCall(String repositoryCall, List<ProxyOperation> operations) {
        return Mono.deferContextual(context -> {
            Optional<CallerContext> caller = CallerContext.from(context);
            if (caller.isPresent() && caller.get().expired()) {
                return Mono.error(caller.get().deadlinePassed(repositoryCall));
            }
            Instant ownDeadline = Instant.now().plus(deadline);
            Instant until = caller.map(CallerContext::deadline).filter(ownDeadline::isAfter).orElse(ownDeadline);
            return calls.submit(new Call(operations, until, caller.map(CallerContext::requestId).orElse("")));
        });
    }

    /**
     * Sends the operations of {@code batch}'s calls (calls of one caller, all reads or all writes:
     * {@link Call#batchKey()}) as one unordered batch, and gives each call its own outcomes. The calls of a batch share
     * the proxy's limits, so a call can fail for the others' sake; where nothing of it ran, it is sent again alone:
     * <ul>
     *   <li>a batch refused whole with {@code VALIDATION} (over the request size limit, say; the proxy refuses such a
     *       request before running anything) is sent again call by call, and only the call at fault fails;</li>
     *   <li>an operation refused with {@code RESULT_TOO_LARGE} because the others' results filled the response did
     *       not run either (the proxy checks for room before it writes; only an update pipeline, which this adapter
     *       never sends, is measured after), so it is sent again alone with the rest of its call.</li>
     * </ul>
     * Any other refusal of the whole batch reaches every call in it. Nothing is sent once the batch's deadline has
     * passed (a caller's, reached while the batch formed or before a call is sent again): its calls fail with
     * {@code TIMEOUT}.
     */
    private Mono<List<List<OperationOutcome>>> sendBatch(List<Call> batch) {
        List<ProxyOperation> operations = batch.stream().flatMap(call -> call.operations().stream()).toList();
        Instant until = batch.stream().map(Call::deadline).min(Instant::compareTo).orElseThrow();
        if (!Instant.now().isBefore(until)) {
            return Mono.just(failEvery(batch, ProxyError.of(ErrorCode.TIMEOUT,
                    "not sent: the deadline passed before the proxy could be invoked")));
        }
        return invoke(operations, until, requestId(batch)).flatMap(response -> switch (response) {
            case ProxyResponse.Completed completed when batch.size() > 1 ->
                    sendAgainWhatDidNotFit(batch, outcomesPerCall(batch, completed.outcomes()));
            case ProxyResponse.Completed completed -> Mono.just(outcomesPerCall(batch, completed.outcomes()));
            case ProxyResponse.Rejected rejected when batch.size() > 1
                    && rejected.error().code() == ErrorCode.VALIDATION ->
                    Flux.fromIterable(batch).concatMap(call -> sendBatch(List.of(call))).map(List::getFirst)
                            .collectList();
            case ProxyResponse.Rejected rejected -> Mono.just(failEvery(batch, rejected.error()));
        });
    }

    private static List<List<OperationOutcome>> failEvery(List<Call> batch, ProxyError error) {
        return batch.stream()
                .map(call -> call.operations().stream().<OperationOutcome>map(operation ->
                        new OperationOutcome.Failed(error)).toList())
                .toList();
    }

    private Mono<List<List<OperationOutcome>>> sendAgainWhatDidNotFit(List<Call> batch,
            List<List<OperationOutcome>> outcomes) {
        return Flux.range(0, batch.size()).concatMap(index -> {
            List<OperationOutcome> received = outcomes.get(index);
            Call call = batch.get(index);
            List<Integer> resend = toSendAgain(call.operations(), received);
            if (resend.isEmpty()) {
                return Mono.just(received);
            }
            Call again = new Call(resend.stream().map(call.operations()::get).toList(), call.deadline(),
                    call.callerRequestId());
            return sendBatch(List.of(again)).map(answers -> {
                List<OperationOutcome> joined = new ArrayList<>(received);
                for (int at = 0; at < resend.size(); at++) {
                    joined.set(resend.get(at), answers.getFirst().get(at));
                }
                return joined;
            });
        }).collectList();
    }

    /**
     * The positions of a call's operations to send again after some answers did not fit in a shared response: from
     * the first {@code RESULT_TOO_LARGE} on, every operation that got one (the proxy refuses a write whose answer
     * would not fit before running it) and every read (a read after a write that did not run must see it, and reading
     * twice is harmless), but never a write that ran: the batch was unordered, so it did.
     */
    static List<Integer> toSendAgain(List<ProxyOperation> operations, List<OperationOutcome> received) {
        int first = IntStream.range(0, received.size()).filter(at -> tooLarge(received.get(at))).findFirst()
                .orElse(received.size());
        return IntStream.range(first, received.size())
                .filter(at -> tooLarge(received.get(at)) || !operations.get(at).action().writes())
                .boxed()
                .toList();
    }

    private static boolean tooLarge(OperationOutcome outcome) {
        return outcome instanceof OperationOutcome.Failed failed && failed.error().code() == ErrorCode.RESULT_TOO_LARGE;
    }

    private static List<List<OperationOutcome>> outcomesPerCall(List<Call> batch, List<OperationOutcome> outcomes) {
        int operations = batch.stream().mapToInt(call -> call.operations().size()).sum();
        if (outcomes.size() != operations) {
            throw new PermanentFailureException("the proxy answered " + outcomes.size() + " outcomes to a batch of "
                    + operations + " operations");
        }
        List<List<OperationOutcome>> perCall = new ArrayList<>(batch.size());
        int next = 0;
        for (Call call : batch) {
            perCall.add(outcomes.subList(next, next + call.operations().size()));
            next += call.operations().size();
        }
        return perCall;
    }

    private String requestId(List<Call> batch) {
        String callerRequestId = batch.stream().map(Call::callerRequestId).filter(id -> !id.isEmpty()).findFirst()
                .orElse(ownRequestIds);
        return requestId(callerRequestId, requestsSent.incrementAndGet());
    }

    /**
     * The id of a proxy request: the request id of the business invocation that made it (or, for calls made outside
     * one, this repository's random {@link #ownRequestIds}) with a sequence number, since one invocation may make
     * several proxy requests; so that the proxy's log lines lead back to it.
     */
    static String requestId(String callerRequestId, long sequence) {
        return callerRequestId.substring(0, Math.min(callerRequestId.length(), MAX_CALLER_ID)) + "/" + sequence;
    }

    /** 64 random bits in hex, to lead the ids of one repository's requests made outside a business invocation. */
    static String randomRequestIdPrefix() {
        byte[] random = new byte[8];
        new SecureRandom().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }

    private Mono<ProxyResponse> invoke(List<ProxyOperation> operations, Instant until, String requestId) {
        return Mono.defer(() -> {
            ProxyRequest request = ProxyRequest.builder()
                    .requestId(requestId)
                    .deadline(until)
                    .ordered(false)
                    .extendedJsonMode(ExtendedJsonMode.CANONICAL)
                    .addAll(operations)
                    .build();
            return invoker.invoke(codec.writeRequest(request), until).map(this::responseOf);
        });
    }

    private ProxyResponse responseOf(byte[] payload) {
        try {
            return codec.readResponse(payload);
        } catch (RuntimeException e) {
            throw new PermanentFailureException("the proxy answered something that is not a proxy response", e);
        }
    }

    /**
     * One repository call: the operations it needs, when its caller stops waiting, and the caller's request id (empty
     * outside a business invocation).
     */
    private record Call(List<ProxyOperation> operations, Instant deadline, String callerRequestId) {

        /**
         * Calls share a batch only with calls of the same caller (so that one caller's deadline, which the batch
         * travels with, never cuts another's short) and of the same kind, reads or writes (so that a write never
         * shares a response with large reads that would leave no room for its answer).
         */
        String batchKey() {
            boolean writes = operations.stream().anyMatch(operation -> operation.action().writes());
            return callerRequestId + (writes ? " writes" : " reads");
        }
    }

    private static <T extends OperationResult> Mono<T> succeeded(OperationOutcome outcome, Class<T> expected) {
        return switch (outcome) {
            case OperationOutcome.Succeeded succeeded when expected.isInstance(succeeded.result()) ->
                    Mono.just(expected.cast(succeeded.result()));
            case OperationOutcome.Succeeded unexpected -> Mono.error(new PermanentFailureException(
                    "the proxy answered " + unexpected.result().getClass().getSimpleName() + " where "
                            + expected.getSimpleName() + " was expected"));
            case OperationOutcome.Failed failed -> Mono.error(toNotesException(failed.error()));
            case OperationOutcome.Skipped skipped ->
                    Mono.error(new PermanentFailureException("the proxy skipped the operation"));
        };
    }

    private static NotesException toNotesException(ProxyError error) {
        String message = "proxy error " + error.code() + ": " + error.message();
        return switch (error.code()) {
            case DATABASE_UNAVAILABLE -> new TransientFailureException(Reason.UNAVAILABLE, message, RETRY_AFTER, null);
            case TIMEOUT -> new TransientFailureException(Reason.TIMEOUT, message, RETRY_AFTER, null);
            default -> new PermanentFailureException(message);
        };
    }

    private static ObjectNode byId(NoteId id) {
        ObjectNode filter = JSON.objectNode();
        filter.set("_id", ExtendedJson.objectId(id.value()));
        return filter;
    }

    private static ObjectNode olderThan(PageCursor cursor) {
        ObjectNode older = JSON.objectNode();
        older.putObject("createdAt").set("$lt", ExtendedJson.date(cursor.createdAt()));
        ObjectNode tie = JSON.objectNode();
        tie.set("createdAt", ExtendedJson.date(cursor.createdAt()));
        tie.putObject("_id").set("$lt", ExtendedJson.objectId(cursor.id().value()));
        ObjectNode filter = JSON.objectNode();
        filter.putArray("$or").add(older).add(tie);
        return filter;
    }

    private static ObjectNode toDocument(Note note) {
        ObjectNode document = JSON.objectNode();
        document.set("_id", ExtendedJson.objectId(note.id().value()));
        document.put("title", note.title());
        document.put("description", note.description());
        document.set("createdAt", ExtendedJson.date(note.createdAt()));
        document.set("updatedAt", ExtendedJson.date(note.updatedAt()));
        return document;
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
