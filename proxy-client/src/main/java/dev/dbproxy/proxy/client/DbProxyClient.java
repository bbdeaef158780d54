package dev.dbproxy.proxy.client;

import dev.dbproxy.lambda.environment.ReopenableClient;
import dev.dbproxy.proxy.client.internal.ClientCounters;
import dev.dbproxy.proxy.client.internal.LambdaClients;
import dev.dbproxy.proxy.client.internal.ProxyCalls;
import dev.dbproxy.proxy.client.internal.ProxyLambdaClient;
import dev.dbproxy.proxy.protocol.OperationOutcome;
import dev.dbproxy.proxy.protocol.ProxyOperation;
import java.util.List;
import reactor.core.publisher.Mono;
import software.amazon.awssdk.services.lambda.LambdaAsyncClient;

/**
 * Any collection through the DB proxy Lambda function, without the MongoDB driver: the entry point of the proxy
 * strategy for a business function. Build one per execution environment (in the handler's constructor or a static
 * field), never per request:
 *
 * <pre>{@code
 * DbProxyClient proxy = DbProxyClient.create(DbProxySettings.fromEnv(System.getenv()));
 * ProxyCollection orders = proxy.database("shop").collection("orders");
 * Mono<JsonNode> order = orders.findOne(filter).contextWrite(invocation::into);
 * }</pre>
 *
 * <p><b>Coalescing</b> is on by default: calls made concurrently by one invocation (a {@code Mono.zip} of reads, a
 * {@code flatMap} over ids) share one proxy invocation, an unordered batch of up to
 * {@link DbProxySettings#maxBatchSize()} operations, reads with reads and writes with writes, so ten reads cost one
 * invocation and one round trip instead of ten, and the proxy's capped environments serve ten times as many calls.
 * A lone call pays nothing for it: a call its caller {@code block()}s on alone leaves at once from the caller's
 * thread, and a batch leaves as soon as the thread that made its latest call waits, or after the window
 * ({@link DbProxySettings#batchWindow()}, 2 ms) at the latest. A zero window turns it off. Every caller gets its own
 * outcome: an operation that did not run because its batch-mates filled the proxy's limits is sent again alone, a
 * write that ran is never sent again. Calls of different invocations ({@link InvocationContext}) never share an
 * invocation, so one caller's deadline never cuts another's short.
 *
 * <p><b>Concurrent invocations</b>: one client is safe for every invocation an environment runs at once (Lambda
 * Managed Instances run them on threads sharing the handler): a call's deadline and request id come from its own
 * Reactor context, never from the client, and its proxy request carries only its own invocation's operations.
 *
 * <p><b>Retries</b>: only throttles (Lambda refuses them before anything runs), with decorrelated jitter, for as long
 * as the call's deadline allows (or {@link DbProxySettings#maxAttempts()} attempts), so that a busy proxy delays a
 * call rather than refusing it. A function error, a timeout or a transport failure fails at once
 * ({@link DbProxyException#mayHaveApplied()} says whether a write may have run), so no write ever runs twice because
 * of this client.
 *
 * <p>{@link #close()} releases what the client built (its Lambda client and its thread) and never a Lambda client it
 * was handed.
 *
 * <p><b>SnapStart</b>: in an environment initialized for a snapshot, the Lambda client this client built (and its
 * thread) is closed before the snapshot and built again by the first call after a restore (a call in flight
 * keeps it until it ends), and the ids of requests made outside an invocation get a new random prefix in every
 * restored environment. A Lambda client the caller handed over is the caller's to close before a snapshot.
 */
public final class DbProxyClient implements AutoCloseable {

    private final ProxyCalls calls;
    private final ClientCounters counters;
    private final ReopenableClient<ProxyLambdaClient> lambda;

    private DbProxyClient(ReopenableClient<ProxyLambdaClient> lambda, DbProxySettings settings) {
        this.counters = new ClientCounters();
        this.lambda = lambda;
        this.calls = new ProxyCalls(lambda, settings, counters);
    }

    /**
     * A client with its own Lambda client, tuned for this use ({@link #lambdaClient}); closed before a SnapStart
     * snapshot and built again by the first call after a restore.
     */
    public static DbProxyClient create(DbProxySettings settings) {
        return new DbProxyClient(ReopenableClient.open("the DB proxy client's Lambda client", () -> {
            LambdaAsyncClient lambda = lambdaClient(settings);
            return new ProxyLambdaClient(lambda, lambda::close);
        }, ProxyLambdaClient::close), settings);
    }

    /**
     * A client on a Lambda client the caller owns and closes (one shared with the function's other AWS calls, say).
     * Its timeouts must exceed the proxy function's own, as those of {@link #lambdaClient} do, and it must not retry
     * by itself: the client retries throttles only, so that no write runs twice.
     */
    public static DbProxyClient create(DbProxySettings settings, LambdaAsyncClient lambda) {
        return new DbProxyClient(ReopenableClient.borrowed(ProxyLambdaClient.borrowed(lambda)), settings);
    }

    /**
     * A Lambda client configured as {@link #create(DbProxySettings)} builds its own (the settings' HTTP client, by
     * default the JDK's on one thread of its own; timeouts from the settings; no SDK retries), for code that shares it
     * or invokes the proxy with hand-written requests. The caller closes it, which closes its HTTP client.
     */
    public static LambdaAsyncClient lambdaClient(DbProxySettings settings) {
        return LambdaClients.client(settings);
    }

    /** The database {@code name} behind the proxy (the proxy's policy decides what may be done there). */
    public ProxyDatabase database(String name) {
        return new ProxyDatabase(calls, name);
    }

    /**
     * Runs {@code operations} in order in one invocation of their own; the first that fails marks every later one
     * {@link OperationOutcome.Skipped}. Emits one outcome per operation, in order ({@link OperationResults#require}
     * reads one); a refusal of the whole request (over the proxy's limits, a passed deadline) is every operation's
     * {@link OperationOutcome.Failed}. Fails with a {@link DbProxyException} only when the invocation does.
     */
    public Mono<List<OperationOutcome>> orderedBatch(List<ProxyOperation> operations) {
        return calls.orderedBatch(operations);
    }

    /**
     * Runs {@code operations} as one unordered call: each runs whatever happens to the others, all in one
     * invocation, which concurrent calls of the same invocation may share. Emits one outcome per operation, in order.
     */
    public Mono<List<OperationOutcome>> unorderedBatch(List<ProxyOperation> operations) {
        return calls.call("unorderedBatch", operations);
    }

    /**
     * Takes the request path once without running anything (the protocol's codec; a {@code DryRun} invocation, which
     * Lambda checks and does not run), for a handler's init phase, so that the first request finds it loaded and
     * connected. Completes empty, whatever the outcome: a missing function or permission is reported by the first
     * call.
     */
    public Mono<Void> warmUp() {
        return calls.warmUp();
    }

    /** What the client has done so far: invocations, operations, batch sizes, throttles, retries. */
    public ProxyClientMetrics metrics() {
        return counters.snapshot();
    }

    /** What leads the ids of requests made outside an invocation (random per environment, drawn again on restore). */
    String ownRequestIdPrefix() {
        return calls.ownRequestIdPrefix();
    }

    /** Fails calls still waiting to be sent, then closes the Lambda client if this client built it. */
    @Override
    public void close() {
        try {
            calls.close();
        } finally {
            lambda.close();
        }
    }
}
