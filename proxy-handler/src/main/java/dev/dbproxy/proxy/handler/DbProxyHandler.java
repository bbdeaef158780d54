package dev.dbproxy.proxy.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.LambdaRuntime;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import dev.dbproxy.lambda.environment.FunctionEnvironment;
import dev.dbproxy.lambda.environment.ReopenableClient;
import dev.dbproxy.lambda.environment.SnapStartHooks;
import dev.dbproxy.proxy.dataapi.DataApiEndpoint;
import dev.dbproxy.proxy.dataapi.DataApiFormat;
import dev.dbproxy.proxy.dataapi.DataApiKeySource;
import dev.dbproxy.proxy.dataapi.DataApiKeys;
import dev.dbproxy.proxy.dataapi.HttpApiEvents;
import dev.dbproxy.lambda.environment.JsonLogLine;
import dev.dbproxy.lambda.environment.JsonLogLine.Level;
import dev.dbproxy.lambda.environment.GracefulShutdownExtension;
import dev.dbproxy.proxy.handler.DbProxySettings.RequestLog;
import dev.dbproxy.proxy.protocol.ErrorCode;
import dev.dbproxy.proxy.protocol.ExtendedJsonMode;
import dev.dbproxy.proxy.protocol.InvalidProxyMessageException;
import dev.dbproxy.proxy.protocol.Namespace;
import dev.dbproxy.proxy.protocol.OperationCaller;
import dev.dbproxy.proxy.protocol.OperationOutcome;
import dev.dbproxy.proxy.protocol.ProxyError;
import dev.dbproxy.proxy.protocol.ProxyJsonCodec;
import dev.dbproxy.proxy.protocol.ProxyOperation;
import dev.dbproxy.proxy.protocol.ProxyRequest;
import dev.dbproxy.proxy.protocol.ProxyResponse;
import dev.dbproxy.proxy.protocol.ResponseMetadata;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.bson.json.JsonWriterSettings;

/**
 * The DB proxy Lambda function: reads a protocol request (see {@code proxy-protocol/PROTOCOL.md}), runs each allowed
 * operation on this execution environment's one MongoDB client, and writes every operation's result or error.
 *
 * <p>It never fails an invocation because of its input: malformed JSON, wrong types, oversized requests, forbidden
 * operators and database failures all become structured errors in a normal response. Operations of a batch run one
 * after another on a pool of {@link DbProxySettings#maxPoolSize()} connections (one on standard Lambda, which sends an
 * environment one invocation at a time; one per 32 concurrent invocations on Lambda Managed Instances), so the
 * database sees at most environments × (pool + monitor) connections from this function.
 *
 * <p>One handler object is safe for many invocations at once, as Lambda Managed Instances run them, each on its own
 * thread: everything an invocation needs (its request, time budget, response bytes, log lines) lives on that thread's
 * stack, and the handler's own state is the shared client, immutable settings and thread-safe codecs, a once-only
 * cold-start flag and a concurrent map of Data API runners. Concurrent invocations wait for a pooled connection inside
 * the driver, each within its own time budget.
 *
 * <p>This is the Lambda entry point: it runs its MongoDB calls with the synchronous driver on the invocation's own
 * thread, each bounded by the request's deadline and the invocation's remaining time. {@link #close()} closes the
 * client. The local platform calls it when it reclaims an environment; the AWS Lambda Java runtime never calls
 * {@code close()}, so a handler that builds its own client also registers a JVM shutdown hook that does, which runs in
 * Lambda's SHUTDOWN phase (the runtime sends SIGTERM when an extension is registered).
 *
 * <p>The same function also answers API Gateway HTTP API events (payload format 2.0) as the Data API endpoint
 * ({@link DataApiEndpoint}, {@code DATA-API.md}): an event is told from a protocol request by its top-level
 * {@code "version": "2.0"} ({@link HttpApiEvents}), and its one operation runs on this same path, under the policy of
 * the caller's key instead of the function's.
 * <p><b>SnapStart</b>: in an environment initialized for a snapshot, the runtime's constructor runs one request
 * through the whole path during init (connecting, reading, checking, counting, writing), the MongoDB client is closed
 * before the snapshot and built again by the first request after a restore, and each restored environment draws its
 * own {@code environmentId}.
 * <p>It logs one {@link JsonLogLine} per event (see {@code proxy-handler/README.md}, Logging) to the invocation's
 * {@link LambdaLogger}: the settings at the first invocation, each request (or only the failed ones), and an unexpected
 * failure with its cause chain, credentials hidden, under the caller's request id.
 */
public final class DbProxyHandler implements RequestStreamHandler, AutoCloseable {

    /** Response bytes kept for the envelope and metadata, plus per operation for its error or its (small) result. */
    private static final int ENVELOPE_BYTES = 1024;
    private static final int BYTES_PER_OUTCOME = 512;
    /** The first read buffer for a request; larger requests double it, up to the request limit. */
    private static final int FIRST_READ_BYTES = 1024;
    /** Lambda's synchronous payload limit: an HTTP API event (body, headers, base64) is never larger. */
    private static final int MAX_EVENT_BYTES = 6 * 1024 * 1024;
    /**
     * What a Data API result may take: its body travels base64-encoded (4/3 of its size) inside the HTTP API
     * response, which must stay under Lambda's 6 MB, envelope and headers included.
     */
    private static final long MAX_DATA_API_RESULT_BYTES = MAX_EVENT_BYTES / 4 * 3 - 16 * 1024;
    /** An HTTP API waits at most 30 s for its integration: no Data API caller waits longer. */
    private static final Duration DATA_API_DEADLINE = Duration.ofSeconds(30);
    /** The most caller request ids a version 2 request's log line names (each up to 128 characters). */
    static final int MAX_LOGGED_CALLERS = 10;

    private final DbProxySettings settings;
    /** The environment's one MongoDB client: closed before a SnapStart snapshot, rebuilt by the next request. */
    private final ReopenableClient<MongoClient> client;
    /** A client built elsewhere, which {@link #close()} closes; {@code null} for the handler's own. */
    private final MongoClient givenClient;
    private final ProxyJsonCodec codec = ProxyJsonCodec.create();
    private final MongoOperationRunner runner;
    /** One runner per Data API key policy (few, fixed when the environment starts), built on first use. */
    private final Map<ProxyPolicy, MongoOperationRunner> dataApiRunners = new ConcurrentHashMap<>();
    private final DataApiEndpoint dataApi;
    private volatile String environmentId = randomEnvironmentId();
    private final SnapStartHooks.Registration newEnvironmentIdOnRestore;
    private final AtomicBoolean coldStart = new AtomicBoolean(true);
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Closes the client at JVM shutdown; {@code null} for a client built elsewhere, whose builder closes it. */
    private final Thread shutdownHook;

    /**
     * The constructor the Lambda runtime calls: settings and Data API keys ({@link DataApiKeySource}, read once here)
     * from the function's environment variables. With {@code LAMBDA_GRACEFUL_SHUTDOWN=true} it registers the
     * {@link GracefulShutdownExtension}, so that Lambda sends SIGTERM and the shutdown hook closes the client.
     */
    public DbProxyHandler() {
        this(FunctionEnvironment.variables());
    }

    /** The runtime's path with the environment {@code env} (what {@link #DbProxyHandler()} reads). */
    DbProxyHandler(Map<String, String> env) {
        this(DbProxySettings.fromEnv(env), DataApiKeySource.load(env), env);
        GracefulShutdownExtension.registerIfEnabled(env);
        if (SnapStartHooks.initializedForSnapshot(env)) {
            primeTheRequestPath();
        }
    }

    /**
     * A handler with its own client built from the settings (not connected until the first request), closed by
     * {@link #close()} or, if that is never called, by a JVM shutdown hook; its Data API accepts no key.
     */
    public DbProxyHandler(DbProxySettings settings) {
        this(settings, DataApiKeys.none());
    }

    /** As {@link #DbProxyHandler(DbProxySettings)}, with a Data API that accepts these keys. */
    public DbProxyHandler(DbProxySettings settings, DataApiKeys dataApiKeys) {
        this(settings, dataApiKeys, FunctionEnvironment.variables());
    }

    private DbProxyHandler(DbProxySettings settings, DataApiKeys dataApiKeys, Map<String, String> env) {
        this(settings, ReopenableClient.open(env, "the DB proxy's MongoDB client",
                () -> MongoClients.create(settings.toMongoClientSettings()), MongoClient::close), null, true,
                dataApiKeys, env);
    }

    /**
     * A handler on a client built elsewhere (tests). {@link #close()} closes the client; no shutdown hook is
     * registered for it. Its Data API accepts no key.
     */
    public DbProxyHandler(DbProxySettings settings, MongoClient client) {
        this(settings, ReopenableClient.borrowed(Objects.requireNonNull(client, "client")), client, false,
                DataApiKeys.none(), FunctionEnvironment.variables());
    }

    private DbProxyHandler(DbProxySettings settings, ReopenableClient<MongoClient> client, MongoClient givenClient,
                           boolean closeAtShutdown, DataApiKeys dataApiKeys, Map<String, String> env) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.client = client;
        this.givenClient = givenClient;
        this.runner = new MongoOperationRunner(settings.policy(), settings.limits(), codec);
        this.dataApi = new DataApiEndpoint(dataApiKeys, settings.limits().maxRequestBytes());
        this.newEnvironmentIdOnRestore = SnapStartHooks.register(env, "the DB proxy's environment id", () -> { },
                () -> environmentId = randomEnvironmentId());
        this.shutdownHook = closeAtShutdown ? new Thread(this::close, "db-proxy-shutdown") : null;
        if (shutdownHook != null) {
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        }
    }

    /**
     * Reads one request from {@code input} and writes its response to {@code output}: a protocol response, or an
     * HTTP API response when the input is an HTTP API event (the Data API). Never throws for bad input; only a
     * failing output stream ends in an exception.
     */
    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        long started = System.nanoTime();
        boolean cold = coldStart.getAndSet(false);
        if (cold) {
            log(context, JsonLogLine.of(Level.INFO, "DB proxy ready")
                    .string("awsRequestId", awsRequestId(context))
                    .string("environmentId", environmentId)
                    .string("settings", settings.toString()));
        }
        byte[] payload;
        try {
            payload = readAtMost(input, Math.max(settings.limits().maxRequestBytes(), MAX_EVENT_BYTES) + 1);
        } catch (IOException unreadable) {
            payload = null;
        }
        if (payload != null && HttpApiEvents.isHttpApiEvent(payload)) {
            output.write(dataApi.respond(payload, (requestId, operation, policy, format) ->
                    runForDataApi(requestId, operation, policy, format, context), line -> log(context, line),
                    settings.requestLog() == RequestLog.ALL));
            output.flush();
            return;
        }
        ProxyResponse response = respond(payload, context, cold, started);
        codec.writeResponse(response, output);
        output.flush();
    }

    /** One Data API operation, on the path of a one-operation batch, under the caller's key's policy. */
    private OperationOutcome runForDataApi(String requestId, ProxyOperation operation, ProxyPolicy policy,
                                           DataApiFormat format, Context context) {
        TimeBudget budget = TimeBudget.until(Instant.now().plus(DATA_API_DEADLINE), context);
        if (budget.exhausted()) {
            return new OperationOutcome.Failed(ProxyError.of(ErrorCode.TIMEOUT, "the invocation had no time left"
                    + " before the operation could start"));
        }
        JsonWriterSettings writerSettings = format == DataApiFormat.EJSON
                ? ExtendedJsonText.CANONICAL : format.writerSettings();
        long resultBytes = Math.min(settings.limits().maxResponseBytes(), MAX_DATA_API_RESULT_BYTES) - ENVELOPE_BYTES;
        MongoOperationRunner keyRunner = dataApiRunners.computeIfAbsent(policy,
                keyPolicy -> new MongoOperationRunner(keyPolicy, settings.limits(), codec));
        return runOne(keyRunner, context, requestId, null, 0, operation,
                new OperationAllowance(budget.remaining(), resultBytes, writerSettings)).outcome();
    }

    private ProxyResponse respond(byte[] body, Context context, boolean cold, long started) {
        String requestId = "";
        ProxyRequest request = null;
        try {
            if (body == null) {
                throw new IOException("the request could not be read");
            }
            int maxRequestBytes = settings.limits().maxRequestBytes();
            if (body.length > maxRequestBytes) {
                return rejected(context, requestId, ProxyError.of(ErrorCode.VALIDATION, "the request is larger than"
                        + " this proxy's limit of " + maxRequestBytes + " bytes; send fewer or smaller operations"),
                        cold, started);
            }
            request = codec.readRequest(body);
            requestId = request.requestId();
            int maxOperations = settings.limits().maxOperationsPerBatch();
            if (request.operations().size() > maxOperations) {
                return rejected(context, request, ProxyError.of(ErrorCode.VALIDATION, "the batch has "
                        + request.operations().size() + " operations; this proxy accepts at most " + maxOperations
                        + " per request"), cold, started);
            }
            TimeBudget budget = TimeBudget.until(request.deadline(), context);
            if (budget.exhausted()) {
                return rejected(context, request, ProxyError.of(ErrorCode.TIMEOUT, "the request's deadline had passed (or"
                        + " the invocation had no time left) before any operation could start"), cold, started);
            }
            List<OperationOutcome> outcomes = runBatch(context, request, budgets(request, budget, context));
            ProxyResponse response = new ProxyResponse.Completed(requestId, outcomes, metadata(cold, started),
                    request.version());
            long failed = outcomes.stream().filter(OperationOutcome.Failed.class::isInstance).count();
            if (failed > 0 || settings.requestLog() == RequestLog.ALL) {
                log(context, withCallers(JsonLogLine.of(failed > 0 ? Level.WARN : Level.INFO, "request completed")
                        .string("requestId", requestId)
                        .string("awsRequestId", awsRequestId(context)), request)
                        .number("operations", outcomes.size())
                        .number("failed", failed)
                        .bool("coldStart", cold)
                        .number("serverTimeMs", response.metadata().serverTimeMs()));
            }
            return response;
        } catch (InvalidProxyMessageException invalid) {
            return rejected(context, invalid.requestId(), invalid.version(), null, invalid.error(), cold, started);
        } catch (IOException unreadable) {
            return rejected(context, requestId, ProxyError.of(ErrorCode.VALIDATION, "the request could not be read"),
                    cold, started);
        } catch (RuntimeException | StackOverflowError unexpected) {
            log(context, withCallers(JsonLogLine.of(Level.ERROR, "request failed unexpectedly")
                    .string("requestId", requestId)
                    .string("awsRequestId", awsRequestId(context)), request)
                    .causes(unexpected));
            ProxyError internal = new ProxyError(ErrorCode.INTERNAL, "the proxy failed unexpectedly;"
                    + " its log has the details under this request id", false);
            return request == null ? rejected(context, requestId, internal, cold, started)
                    : rejected(context, request, internal, cold, started);
        }
    }

    /**
     * The budget of each operation, taken when the request arrived: the request's own for every operation of a
     * version 1 request; for version 2 the budget of the operation's caller's deadline (one per distinct deadline),
     * so that an operation starts only within its own caller's time and the driver gets that time, whatever the
     * other callers' deadlines.
     */
    private static List<TimeBudget> budgets(ProxyRequest request, TimeBudget requestBudget, Context context) {
        if (request.callers().isEmpty()) {
            return Collections.nCopies(request.operations().size(), requestBudget);
        }
        Map<Instant, TimeBudget> byDeadline = new HashMap<>();
        byDeadline.put(request.deadline(), requestBudget);
        return request.callers().stream()
                .map(caller -> byDeadline.computeIfAbsent(caller.deadline(), until -> TimeBudget.until(until, context)))
                .toList();
    }

    /**
     * The line with, for a version 2 request, {@code callers} (how many distinct caller request ids its operations
     * carry) and {@code callerRequestIds} (the first {@value #MAX_LOGGED_CALLERS} of them, in order of appearance).
     */
    private static JsonLogLine withCallers(JsonLogLine line, ProxyRequest request) {
        if (request == null || request.callers().isEmpty()) {
            return line;
        }
        List<String> distinct = request.callers().stream().map(OperationCaller::requestId).distinct().toList();
        return line.number("callers", distinct.size())
                .strings("callerRequestIds", distinct.subList(0, Math.min(distinct.size(), MAX_LOGGED_CALLERS)));
    }

    private List<OperationOutcome> runBatch(Context context, ProxyRequest request, List<TimeBudget> budgets) {
        JsonWriterSettings writerSettings = request.extendedJsonMode() == ExtendedJsonMode.RELAXED
                ? ExtendedJsonText.RELAXED : ExtendedJsonText.CANONICAL;
        long freeBytes = settings.limits().maxResponseBytes() - ENVELOPE_BYTES
                - (long) BYTES_PER_OUTCOME * request.operations().size();
        List<OperationOutcome> outcomes = new ArrayList<>(request.operations().size());
        boolean skipRest = false;
        ProxyError unavailable = null;
        for (int index = 0; index < request.operations().size(); index++) {
            OperationOutcome outcome;
            if (skipRest) {
                outcome = new OperationOutcome.Skipped();
            } else if (unavailable != null) {
                // The database just failed to answer: waiting for it again would spend the deadline for nothing.
                outcome = new OperationOutcome.Failed(unavailable);
            } else if (budgets.get(index).exhausted()) {
                outcome = new OperationOutcome.Failed(ProxyError.of(ErrorCode.TIMEOUT,
                        "the deadline passed before operation " + index + " could start"));
            } else {
                ProxyOperation operation = request.operations().get(index);
                // The bytes reserved for this outcome hold its result as well as they would its error: a result
                // takes from the shared free bytes only what does not fit in them.
                OperationAllowance allowance = new OperationAllowance(budgets.get(index).remaining(),
                        BYTES_PER_OUTCOME + freeBytes, writerSettings);
                String callerRequestId = request.callers().isEmpty() ? null : request.callerOf(index).requestId();
                Ran ran = runOne(runner, context, request.requestId(), callerRequestId, index, operation, allowance);
                outcome = ran.outcome();
                freeBytes -= Math.max(0, ran.responseBytes() - BYTES_PER_OUTCOME);
            }
            if (outcome instanceof OperationOutcome.Failed failed) {
                skipRest = request.ordered();
                if (failed.error().code() == ErrorCode.DATABASE_UNAVAILABLE && unavailable == null) {
                    // Its own message: the first one's may warn that a write was perhaps applied, and these never ran.
                    unavailable = ProxyError.of(ErrorCode.DATABASE_UNAVAILABLE, "not sent: the database was"
                            + " unavailable for operation " + index + " of this request; retry later");
                }
            }
            outcomes.add(outcome);
        }
        return outcomes;
    }

    /** An operation's outcome and the response bytes its result takes (0 for an error: reserved up front). */
    private record Ran(OperationOutcome outcome, long responseBytes) {
    }

    /** @param callerRequestId the operation's own caller's id in a version 2 request, else {@code null} */
    private Ran runOne(MongoOperationRunner runner, Context context, String requestId, String callerRequestId,
                       int index, ProxyOperation operation, OperationAllowance allowance) {
        try (ReopenableClient.Lease<MongoClient> lease = client.lease()) {
            ExecutedOperation executed = runner.run(lease.client(), operation, allowance);
            return new Ran(new OperationOutcome.Succeeded(executed.result()), executed.responseBytes());
        } catch (RuntimeException failure) {
            ProxyError error = MongoErrorTranslation.translate(failure, operation.action());
            if (error == null) {
                error = new ProxyError(ErrorCode.INTERNAL, "operation " + index + " failed unexpectedly; the proxy's"
                        + " log has the details under this request id", false);
            }
            if (error.code() == ErrorCode.INTERNAL) {
                // The caller's message is deliberately vague (the driver's may name servers or users): keep the rest.
                JsonLogLine line = JsonLogLine.of(Level.ERROR, "operation failed with INTERNAL")
                        .string("requestId", requestId);
                if (callerRequestId != null) {
                    line.string("callerRequestId", callerRequestId);
                }
                log(context, line
                        .string("awsRequestId", awsRequestId(context))
                        .number("operation", index)
                        .string("action", operation.action().wireName())
                        .causes(failure));
            }
            return new Ran(new OperationOutcome.Failed(error), 0);
        }
    }

    /**
     * The stream's bytes up to {@code limit}, in a buffer that starts at {@value #FIRST_READ_BYTES} bytes and doubles:
     * a request is usually a few hundred bytes, and {@link InputStream#readNBytes(int)} would allocate (and touch)
     * 16 KB for each one.
     */
    static byte[] readAtMost(InputStream input, int limit) throws IOException {
        byte[] buffer = new byte[Math.min(limit, FIRST_READ_BYTES)];
        int length = 0;
        while (true) {
            if (length == buffer.length) {
                if (length == limit) {
                    return buffer;
                }
                buffer = Arrays.copyOf(buffer, (int) Math.min(limit, 2L * buffer.length));
            }
            int read = input.read(buffer, length, buffer.length - length);
            if (read < 0) {
                return Arrays.copyOf(buffer, length);
            }
            length += read;
        }
    }

    private ProxyResponse rejected(Context context, String requestId, ProxyError error, boolean cold, long started) {
        return rejected(context, requestId, ProxyJsonCodec.PROTOCOL_VERSION, null, error, cold, started);
    }

    private ProxyResponse rejected(Context context, ProxyRequest request, ProxyError error, boolean cold,
                                   long started) {
        return rejected(context, request.requestId(), request.version(), request, error, cold, started);
    }

    /** @param request the request when it could be read (its callers are logged), else {@code null} */
    private ProxyResponse rejected(Context context, String requestId, int version, ProxyRequest request,
                                   ProxyError error, boolean cold, long started) {
        ProxyResponse response = new ProxyResponse.Rejected(requestId, error, metadata(cold, started), version);
        log(context, withCallers(JsonLogLine.of(error.code() == ErrorCode.INTERNAL ? Level.ERROR : Level.WARN,
                        "request rejected")
                .string("requestId", requestId)
                .string("awsRequestId", awsRequestId(context)), request)
                .string("code", error.code().name())
                .bool("coldStart", cold)
                .number("serverTimeMs", response.metadata().serverTimeMs()));
        return response;
    }

    /**
     * Writes the line to the invocation's logger; without an invocation (at shutdown, or a caller passing no context)
     * to the runtime's own logger, which prints to standard output outside Lambda and adds no line break.
     */
    private static void log(Context context, JsonLogLine line) {
        if (context == null) {
            LambdaRuntime.getLogger().log(line + "\n");
        } else {
            context.getLogger().log(line.toString());
        }
    }

    private static String awsRequestId(Context context) {
        return context == null ? null : context.getAwsRequestId();
    }

    /**
     * Runs one request through the whole path during init, so that a snapshot holds its classes and compiled code and
     * restored environments answer their first request at warm speed: a {@code countDocuments} of nothing on the
     * policy's first collection (refused, and still read, checked and answered, when the policy does not allow it).
     * Its outcome does not matter; the invocation counts as cold all the same.
     */
    private void primeTheRequestPath() {
        String collection = settings.policy().collections().stream().sorted().findFirst().orElse("none");
        try {
            byte[] request = codec.writeRequest(ProxyRequest.builder()
                    .requestId("snapstart-prime")
                    .deadline(Instant.now().plusSeconds(5))
                    .ordered(false)
                    .extendedJsonMode(ExtendedJsonMode.CANONICAL)
                    .addAll(List.of(ProxyOperation.countDocuments(Namespace.of(settings.policy().database(),
                            collection), JsonNodeFactory.instance.objectNode().put("_id", "snapstart-prime"))))
                    .build());
            codec.writeResponse(respond(request, null, true, System.nanoTime()), OutputStream.nullOutputStream());
        } catch (RuntimeException ignored) {
            // A database not reachable during init is the first request's to report.
        }
    }

    private static String randomEnvironmentId() {
        byte[] id = new byte[8];
        new SecureRandom().nextBytes(id);
        return HexFormat.of().formatHex(id);
    }

    /** The id this environment reports in every response's metadata (random, drawn again on a SnapStart restore). */
    String environmentId() {
        return environmentId;
    }

    private ResponseMetadata metadata(boolean cold, long started) {
        return new ResponseMetadata(cold, environmentId, (System.nanoTime() - started) / 1_000_000);
    }

    /**
     * Closes the MongoDB client and its connections, and removes the shutdown hook, so that the many handlers one JVM
     * builds and closes (the local platform's environments) leave no hook behind. Later calls do nothing.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (shutdownHook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException shuttingDown) {
                // The JVM is shutting down: this is the hook running, or the hook finds the client closed.
            }
        }
        newEnvironmentIdOnRestore.close();
        client.close();
        if (givenClient != null) {
            givenClient.close();
        }
        log(null, JsonLogLine.of(Level.INFO, "DB proxy closed").string("environmentId", environmentId));
    }

    /** The hook that closes the client at JVM shutdown, {@code null} when the client was built elsewhere. */
    Thread shutdownHook() {
        return shutdownHook;
    }
}
