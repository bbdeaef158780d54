package dev.dbproxy.proxy.client.internal;

import dev.dbproxy.lambda.environment.ReopenableClient;
import dev.dbproxy.lambda.environment.SnapStartHooks;
import dev.dbproxy.proxy.client.DbProxyException;
import dev.dbproxy.proxy.client.DbProxyException.Kind;
import dev.dbproxy.proxy.client.DbProxySettings;
import dev.dbproxy.proxy.client.InvocationContext;
import dev.dbproxy.proxy.protocol.ErrorCode;
import dev.dbproxy.proxy.protocol.ExtendedJsonMode;
import dev.dbproxy.proxy.protocol.Namespace;
import dev.dbproxy.proxy.protocol.OperationCaller;
import dev.dbproxy.proxy.protocol.OperationOutcome;
import dev.dbproxy.proxy.protocol.OperationResult;
import dev.dbproxy.proxy.protocol.ProxyError;
import dev.dbproxy.proxy.protocol.ProxyJsonCodec;
import dev.dbproxy.proxy.protocol.ProxyOperation;
import dev.dbproxy.proxy.protocol.ProxyRequest;
import dev.dbproxy.proxy.protocol.ProxyResponse;
import dev.dbproxy.proxy.protocol.ResponseMetadata;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.context.ContextView;

/**
 * The engine behind {@code DbProxyClient}, not API: sends calls (each a list of operations that travel together) to
 * the proxy, coalescing concurrent calls of one invocation into one unordered batch (reads with reads, writes with
 * writes), within each call's deadline, under request ids that lead back to the calling invocation.
 *
 * <p>With {@link DbProxySettings#coalesceAcrossInvocations()}, concurrent calls of different invocations (the threads
 * of one Lambda Managed Instances environment) share batches too. A batch whose calls all belong to one caller still
 * travels as protocol version 1; one that spans callers travels as version 2, each operation with its own caller's
 * request id and deadline, so that the proxy gives each operation its own caller's time and one caller's near
 * deadline never cuts another's operations short.
 */
public final class ProxyCalls implements AutoCloseable {

    /** Room left in the protocol's 128-character request id for the sequence number after the caller's id. */
    private static final int MAX_CALLER_ID = ProxyRequest.MAX_REQUEST_ID_LENGTH - 24;

    private final ProxyInvoker invoker;
    private final Duration ownDeadline;
    private final ClientCounters counters;
    private final ProxyJsonCodec codec = ProxyJsonCodec.create();
    private final OperationBatcher<Call, List<OperationOutcome>> calls;
    private final boolean acrossInvocations;
    /** The outcome of an operation whose caller's deadline passed before it could be sent. */
    private static final ProxyError NOT_SENT_IN_TIME = ProxyError.of(ErrorCode.TIMEOUT,
            "not sent: the deadline passed before the proxy could be invoked");
    private final AtomicLong requestsSent = new AtomicLong();
    /**
     * Leads the ids of requests made outside an invocation: random once per client, so that a request id costs no
     * random numbers (a system call each) and still names one request of one environment; drawn again in every
     * environment restored from a SnapStart snapshot, which would otherwise all share the snapshot's.
     */
    private volatile String ownRequestIds = randomRequestIdPrefix();
    private final SnapStartHooks.Registration reseedOnRestore;

    public ProxyCalls(ReopenableClient<ProxyLambdaClient> lambda, DbProxySettings settings, ClientCounters counters) {
        this.counters = counters;
        this.reseedOnRestore = SnapStartHooks.register("the DB proxy client's request ids", () -> { },
                () -> ownRequestIds = randomRequestIdPrefix());
        this.invoker = new ProxyInvoker(lambda, settings.functionName(), settings.maxAttempts(),
                settings.invokeTimeout(), counters);
        this.ownDeadline = settings.deadline();
        this.acrossInvocations = settings.coalesceAcrossInvocations();
        this.calls = OperationBatcher.start(settings.batchWindow(), settings.maxBatchSize(),
                call -> call.operations().size(), acrossInvocations ? Call::writes : Call::batchKey, this::sendBatch,
                acrossInvocations, "db-proxy-batcher");
    }

    /**
     * The outcomes of {@code operations}, one per operation and in order, sent with whatever else the same invocation
     * (or, coalescing across invocations, any invocation) calls concurrently, within the deadline of the invocation
     * making the call ({@link InvocationContext}; the client's own budget outside one); not at all, and without
     * invoking the proxy, once that deadline has passed. Sharing a batch with later deadlines, a call stops waiting
     * {@link ProxyInvoker#ANSWER_GRACE} after its own, as {@code TIMEOUT}.
     *
     * @param callName what the caller calls this call, for the error of a call made too late
     */
    public Mono<List<OperationOutcome>> call(String callName, List<ProxyOperation> operations) {
        return Mono.deferContextual(context -> {
            Optional<InvocationContext> caller = InvocationContext.from(context);
            if (caller.isPresent() && caller.get().expired()) {
                return Mono.error(DbProxyException.invocationFailed(Kind.TIMEOUT, "the caller's deadline passed"
                        + " before " + callName + " started; nothing was sent to the proxy", false, null));
            }
            Call call = callFor(context, operations);
            Mono<List<OperationOutcome>> answer = calls.submit(call);
            if (!acrossInvocations) {
                return answer;
            }
            Duration wait = Duration.between(Instant.now(), call.deadline()).plus(ProxyInvoker.ANSWER_GRACE);
            return answer.timeout(wait.isNegative() ? Duration.ZERO : wait, Mono.error(() ->
                    DbProxyException.invocationFailed(Kind.TIMEOUT, callName + " got no answer by its caller's"
                            + " deadline", call.writes(), null)));
        });
    }

    /**
     * The outcomes of {@code operations} run as an ordered batch in one invocation of their own (the first failure
     * skips the rest), within the calling invocation's deadline.
     */
    public Mono<List<OperationOutcome>> orderedBatch(List<ProxyOperation> operations) {
        return Mono.deferContextual(context -> {
            Call call = callFor(context, operations);
            return send(List.of(call), true).map(List::getFirst);
        });
    }

    /**
     * {@code operations} as a call of the invocation in {@code context}, if any, with its deadline and request id;
     * outside an invocation, with the client's own budget.
     */
    private Call callFor(ContextView context, List<ProxyOperation> operations) {
        Optional<InvocationContext> caller = InvocationContext.from(context);
        Instant until = caller.map(InvocationContext::deadline).orElseGet(() -> Instant.now().plus(ownDeadline));
        return new Call(List.copyOf(operations), until, caller.map(InvocationContext::requestId).orElse(""));
    }

    /**
     * Writes a request and reads a response of the protocol without sending either (the codec's classes and code
     * paths), then invokes the proxy with {@code DryRun} (the SDK's request path and the connection to the Lambda
     * endpoint; Lambda does not run the function). Completes empty, whatever happens.
     */
    public Mono<Void> warmUp() {
        return Mono.fromRunnable(this::writeAndReadARequest).onErrorResume(error -> Mono.empty())
                .then(invoker.dryRun());
    }

    private void writeAndReadARequest() {
        Namespace namespace = Namespace.of("warm-up", "warm-up");
        codec.writeRequest(ProxyRequest.builder()
                .requestId(requestId(ownRequestIds, 0))
                .deadline(Instant.now().plus(ownDeadline))
                .ordered(false)
                .extendedJsonMode(ExtendedJsonMode.CANONICAL)
                .addAll(List.of(ProxyOperation.findOne(namespace, JsonNodeFactory.instance.objectNode())))
                .build());
        codec.readResponse(codec.writeResponse(new ProxyResponse.Completed("warm-up",
                List.of(new OperationOutcome.Succeeded(new OperationResult.FoundOne(
                        JsonNodeFactory.instance.objectNode().put("_id", "warm-up")))),
                new ResponseMetadata(false, "warm-up", 0))));
    }

    /** What leads the ids of requests made outside an invocation. */
    public String ownRequestIdPrefix() {
        return ownRequestIds;
    }

    /** Stops coalescing: calls still waiting and made later fail as {@link Kind#PERMANENT}. */
    @Override
    public void close() {
        reseedOnRestore.close();
        calls.close();
    }

    /**
     * Sends the operations of {@code batch}'s calls (all reads or all writes; of one caller unless coalescing across
     * invocations) as one unordered batch, version 1 for one caller and version 2 for several, and gives each call
     * its own outcomes. The calls of a batch share
     * the proxy's limits, so a call can fail for the others' sake; where nothing of it ran, it is sent again alone:
     * <ul>
     *   <li>a batch refused whole with {@code VALIDATION} (over the request size limit, say; the proxy refuses such a
     *       request before running anything) is sent again call by call, and only the call at fault fails;</li>
     *   <li>an operation refused with {@code RESULT_TOO_LARGE} because the others' results filled the response did
     *       not run either (the proxy checks for room before it writes; only an update pipeline is measured after, and
     *       that is a write, never sent again), so it is sent again alone with the reads after it in its call.</li>
     * </ul>
     * (A proxy that speaks only version 1 refuses a version 2 batch with {@code VALIDATION}: its calls are then sent
     * again one by one, as version 1.) Any other refusal of the whole batch reaches every call in it. Nothing is sent
     * once the batch's deadline has passed (one caller's, reached while the batch formed or before a call is sent
     * again), nor the calls of a batch of several callers whose own caller's deadline has: they fail with
     * {@code TIMEOUT}.
     */
    private Mono<List<List<OperationOutcome>>> sendBatch(List<Call> batch) {
        if (batch.stream().map(Call::callerRequestId).distinct().count() > 1) {
            return inDeadlineOrder(batch);
        }
        return send(batch, false).flatMap(outcomes -> batch.size() > 1
                ? sendAgainWhatDidNotFit(batch, outcomes) : Mono.just(outcomes));
    }

    /**
     * A batch of several callers, sent with the earliest deadlines first (the proxy runs operations one after
     * another: a near deadline should not wait behind a far one), each call's outcomes at its own position. A call
     * whose caller's deadline passed while the batch formed is not sent: it fails with {@code TIMEOUT} here.
     */
    private Mono<List<List<OperationOutcome>>> inDeadlineOrder(List<Call> batch) {
        Instant now = Instant.now();
        List<List<OperationOutcome>> inBatchOrder = new ArrayList<>(Collections.nCopies(batch.size(), null));
        IntStream.range(0, batch.size()).filter(at -> !now.isBefore(batch.get(at).deadline()))
                .forEach(at -> inBatchOrder.set(at, failEvery(List.of(batch.get(at)), NOT_SENT_IN_TIME).getFirst()));
        int[] order = IntStream.range(0, batch.size()).filter(at -> now.isBefore(batch.get(at).deadline())).boxed()
                .sorted(Comparator.comparing(at -> batch.get(at).deadline()))
                .mapToInt(Integer::intValue).toArray();
        if (order.length == 0) {
            return Mono.just(inBatchOrder);
        }
        List<Call> sorted = Arrays.stream(order).mapToObj(batch::get).toList();
        return send(sorted, false)
                .flatMap(outcomes -> sorted.size() > 1 ? sendAgainWhatDidNotFit(sorted, outcomes) : Mono.just(outcomes))
                .map(outcomes -> {
                    for (int at = 0; at < order.length; at++) {
                        inBatchOrder.set(order[at], outcomes.get(at));
                    }
                    return inBatchOrder;
                });
    }

    private Mono<List<List<OperationOutcome>>> send(List<Call> batch, boolean ordered) {
        boolean oneCaller = batch.stream().map(Call::callerRequestId).distinct().count() == 1;
        // One caller's batch lasts as long as its earliest call; a batch of several callers as long as its latest,
        // each operation carrying its own caller's deadline to the proxy.
        Instant until = batch.stream().map(Call::deadline)
                .reduce(oneCaller ? ProxyCalls::earlier : ProxyCalls::later).orElseThrow();
        if (!Instant.now().isBefore(until)) {
            return Mono.just(failEvery(batch, NOT_SENT_IN_TIME));
        }
        long sequence = requestsSent.incrementAndGet();
        ProxyRequest.Builder request = ProxyRequest.builder()
                .deadline(until)
                .ordered(ordered)
                .extendedJsonMode(ExtendedJsonMode.CANONICAL);
        if (oneCaller) {
            String caller = batch.getFirst().callerRequestId();
            request.requestId(requestId(caller.isEmpty() ? ownRequestIds : caller, sequence));
            batch.forEach(call -> request.addAll(call.operations()));
        } else {
            request.requestId(requestId(ownRequestIds, sequence));
            for (Call call : batch) {
                OperationCaller caller = new OperationCaller(requestId(call.callerRequestId().isEmpty()
                        ? ownRequestIds : call.callerRequestId(), sequence), call.deadline());
                call.operations().forEach(operation -> request.add(operation, caller));
            }
        }
        boolean writes = batch.stream().anyMatch(Call::writes);
        return invoke(request.build(), writes, batch.size())
                .flatMap(response -> switch (response) {
                    case ProxyResponse.Completed completed -> Mono.just(outcomesPerCall(batch, completed.outcomes()));
                    case ProxyResponse.Rejected rejected when batch.size() > 1
                            && rejected.error().code() == ErrorCode.VALIDATION -> {
                        counters.resends.add(batch.size());
                        yield Flux.fromIterable(batch).concatMap(call -> sendBatch(List.of(call)))
                                .map(List::getFirst).collectList();
                    }
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
            counters.resends.increment();
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
            throw DbProxyException.permanent("the proxy answered " + outcomes.size() + " outcomes to a batch of "
                    + operations + " operations", null);
        }
        List<List<OperationOutcome>> perCall = new ArrayList<>(batch.size());
        int next = 0;
        for (Call call : batch) {
            perCall.add(outcomes.subList(next, next + call.operations().size()));
            next += call.operations().size();
        }
        return perCall;
    }

    private static Instant earlier(Instant one, Instant other) {
        return one.isBefore(other) ? one : other;
    }

    private static Instant later(Instant one, Instant other) {
        return one.isAfter(other) ? one : other;
    }

    /**
     * The id of a proxy request: the request id of the invocation that made it (or, for calls made outside one, this
     * client's random {@link #ownRequestIds}) with a sequence number, since one invocation may make several proxy
     * requests; so that the proxy's log lines lead back to it.
     */
    static String requestId(String callerRequestId, long sequence) {
        return callerRequestId.substring(0, Math.min(callerRequestId.length(), MAX_CALLER_ID)) + "/" + sequence;
    }

    /** 64 random bits in hex, to lead the ids of one client's requests made outside an invocation. */
    static String randomRequestIdPrefix() {
        byte[] random = new byte[8];
        new SecureRandom().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }

    private Mono<ProxyResponse> invoke(ProxyRequest request, boolean writes, int callCount) {
        return Mono.defer(() -> {
            byte[] payload = codec.writeRequest(request);
            counters.invoked(request.operations().size(), callCount);
            return invoker.invoke(payload, request.deadline(), writes).map(this::responseOf);
        });
    }

    private ProxyResponse responseOf(byte[] payload) {
        try {
            return codec.readResponse(payload);
        } catch (RuntimeException e) {
            throw DbProxyException.permanent("the proxy answered something that is not a proxy response", e);
        }
    }

    /**
     * One call: the operations that travel together, when its caller stops waiting, and the caller's request id
     * (empty outside an invocation).
     */
    private record Call(List<ProxyOperation> operations, Instant deadline, String callerRequestId) {

        /**
         * Without coalescing across invocations, calls share a batch only with calls of the same caller (which then
         * travels as version 1, with one deadline) and of the same kind, reads or writes ({@link #writes()}).
         */
        String batchKey() {
            return callerRequestId + (writes() ? " writes" : " reads");
        }

        /**
         * Whether the call writes: reads share batches with reads and writes with writes, so that a write never shares
         * a response with large reads that would leave no room for its answer.
         */
        boolean writes() {
            return operations.stream().anyMatch(operation -> operation.action().writes());
        }
    }
}
