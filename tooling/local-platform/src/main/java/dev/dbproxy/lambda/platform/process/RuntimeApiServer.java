package dev.dbproxy.lambda.platform.process;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.dbproxy.lambda.platform.environment.EnvironmentRestoreException;
import dev.dbproxy.lambda.platform.environment.EnvironmentSpec;
import dev.dbproxy.lambda.platform.environment.FunctionErrors;
import dev.dbproxy.lambda.platform.environment.InvocationInput;
import dev.dbproxy.lambda.platform.environment.InvocationOutput;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.HexFormat;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The Lambda Runtime API and the Extensions API of one process environment, on its own loopback port (as every
 * Lambda sandbox has its own {@code AWS_LAMBDA_RUNTIME_API}), answered as Lambda documents them:
 *
 * <ul>
 *   <li>{@code GET /2018-06-01/runtime/invocation/next}: blocks until an invocation is handed over; 200 with the
 *       payload and the {@code Lambda-Runtime-*} headers (request id, deadline, function ARN, trace id, client
 *       context and Cognito identity when present). The runtime's first call ends the init phase (once every
 *       registered extension has called its next too).</li>
 *   <li>{@code POST .../invocation/{id}/response}: 202; 400 {@code InvalidRequestID} for an id that is not a
 *       running invocation's; 413 {@code RequestEntityTooLarge} over 6,291,556 bytes (the invocation then fails with
 *       {@code Function.ResponseSizeTooLarge}, and the environment is replaced: the runtime interface client exits
 *       after that answer).</li>
 *   <li>{@code POST .../invocation/{id}/error}: 202; 400 {@code InvalidRequestID} as above.</li>
 *   <li>{@code POST /2018-06-01/runtime/init/error}: 202 during init (the init fails with the runtime's error);
 *       403 {@code InvalidStateTransition} after it.</li>
 *   <li>{@code GET /2018-06-01/runtime/restore/next} (SnapStart, {@link EnvironmentSpec#snapStart()}): the runtime
 *       ran its {@code beforeCheckpoint} hooks; this ends the init phase (the snapshot is taken here: the process is
 *       stopped) and blocks until {@link #restore()}, then 200 (the runtime runs its {@code afterRestore} hooks and
 *       asks for its first invocation, which ends the restore). 403 {@code InvalidStateTransition} outside a
 *       SnapStart environment's init, or when called twice.</li>
 *   <li>{@code POST /2018-06-01/runtime/restore/error}: 202 during the restore (it fails with the runtime's
 *       error); 403 {@code InvalidStateTransition} outside it.</li>
 *   <li>{@code POST /2020-01-01/extension/register} (header {@code Lambda-Extension-Name}, body
 *       {@code {"events":[]}}): 200 with {@code Lambda-Extension-Identifier} during init; 403
 *       {@code Extension.InvalidRegistration} after it; 400 {@code Extension.InvalidEventType} for events (this
 *       platform serves internal extensions that register for none, which is what makes Lambda send SIGTERM).</li>
 *   <li>{@code GET /2020-01-01/extension/event/next}: marks the extension ready and then blocks (no event is ever
 *       sent); 403 {@code Extension.UnknownExtensionIdentifier} without a registered identifier.</li>
 * </ul>
 *
 * <p>Freezing is driven from here: when the runtime asks for the next invocation and none is waiting, the
 * {@link Listener} stops the process; handing an invocation over resumes it first. On managed instances
 * ({@link EnvironmentSpec#multiConcurrent()}) the runtime interface client polls {@code invocation/next} from
 * {@code AWS_LAMBDA_MAX_CONCURRENCY} threads at once: every poll waits for its own invocation, responses are matched
 * by request id, and the process is never stopped.
 */
final class RuntimeApiServer implements AutoCloseable {

    /** Lambda's synchronous response limit. */
    static final int MAX_RESPONSE_BYTES = 6_291_556;
    private static final String RUNTIME = "/2018-06-01/runtime/";
    private static final String EXTENSION = "/2020-01-01/extension/";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the environment does when the runtime's phases change. */
    interface Listener {

        /** The runtime and every registered extension asked for their next event: the init phase is over. */
        void initDone();

        /** The runtime reported an init error (its {@code {"errorMessage","errorType"}} body). */
        void initFailed(byte[] errorPayload);

        /** Stops the process: it waits for an invocation and none is there. */
        void freeze();

        /** Resumes a stopped process. */
        void thaw();

        /** Called before a runtime's answer settles its invocation, so that its last output lines reach the log. */
        void beforeResult();
    }

    /** One invocation handed to the runtime, and what it answered. */
    record Handed(InvocationInput input, CompletableFuture<InvocationOutput> output) {
    }

    private final EnvironmentSpec spec;
    private final Listener listener;
    private final HttpServer server;
    private final ExecutorService executor;
    private final CountDownLatch closed = new CountDownLatch(1);
    private final Object lock = new Object();
    private final Set<String> extensions = new HashSet<>();
    private final Set<String> readyExtensions = new HashSet<>();
    private boolean runtimeAskedForNext;
    private boolean initEnded;
    private boolean frozen;
    private final boolean freezes;
    private final Deque<Handed> queued = new ArrayDeque<>();
    private final Map<String, Handed> running = new HashMap<>();
    private final Deque<CompletableFuture<Handed>> waitingRuntimes = new ArrayDeque<>();
    /** Answers the runtime's {@code restore/next}; null until it asks. */
    private CompletableFuture<Void> restoreRequest;
    /** Ends with the restore; null until {@link #restore()}. */
    private CompletableFuture<Duration> restoring;
    private long restoreStartNanos;
    private boolean restoreEnded;

    private RuntimeApiServer(EnvironmentSpec spec, Listener listener) throws IOException {
        this.spec = spec;
        this.listener = listener;
        this.freezes = !spec.multiConcurrent();
        this.executor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual()
                .name("runtime-api-" + spec.environmentId() + "-", 0).factory());
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    static RuntimeApiServer start(EnvironmentSpec spec, Listener listener) throws IOException {
        return new RuntimeApiServer(spec, listener);
    }

    /** {@code host:port}, the value of {@code AWS_LAMBDA_RUNTIME_API}. */
    String address() {
        InetSocketAddress address = server.getAddress();
        return address.getAddress().getHostAddress() + ":" + address.getPort();
    }

    /** Whether an extension registered during init (Lambda then sends SIGTERM at shutdown). */
    boolean extensionRegistered() {
        synchronized (lock) {
            return !extensions.isEmpty();
        }
    }

    /** Hands an invocation to the runtime, resuming the process if it is stopped. */
    void handOver(Handed handed) {
        synchronized (lock) {
            if (frozen) {
                frozen = false;
                listener.thaw();
            }
            CompletableFuture<Handed> waiting = waitingRuntimes.pollFirst();
            if (waiting != null) {
                running.put(handed.input().requestId(), handed);
                waiting.complete(handed);
            } else {
                queued.addLast(handed);
            }
        }
    }

    /**
     * Restores a SnapStart environment whose runtime waits in {@code restore/next}: resumes the process and answers
     * that call. Called once, before the first invocation is handed over.
     *
     * @return emits how long the restore took (until the runtime's first {@code invocation/next}: its
     *         {@code afterRestore} hooks), {@link Duration#ZERO} at once when the runtime did not ask for a restore;
     *         fails with {@link EnvironmentRestoreException} when the runtime reported {@code restore/error} or
     *         {@link #failRestore} ended it
     */
    CompletableFuture<Duration> restore() {
        synchronized (lock) {
            if (restoring == null) {
                restoring = new CompletableFuture<>();
                if (restoreRequest == null) {
                    restoreEnded = true;
                    restoring.complete(Duration.ZERO);
                } else {
                    if (frozen) {
                        frozen = false;
                        listener.thaw();
                    }
                    restoreStartNanos = System.nanoTime();
                    restoreRequest.complete(null);
                }
            }
            return restoring;
        }
    }

    /** Ends a restore under way with {@code failure}; false when none is under way (it ended, or never started). */
    boolean failRestore(EnvironmentRestoreException failure) {
        CompletableFuture<Duration> failing;
        synchronized (lock) {
            if (restoring == null || restoreEnded) {
                return false;
            }
            restoreEnded = true;
            failing = restoring;
        }
        return failing.completeExceptionally(failure);
    }

    /** The invocations the runtime is working on or has not fetched yet, taken away (the process died or was killed). */
    List<Handed> takeAll() {
        synchronized (lock) {
            List<Handed> taken = new ArrayList<>(running.values());
            taken.addAll(queued);
            running.clear();
            queued.clear();
            return taken;
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            if (path.equals(RUNTIME + "invocation/next") && method.equals("GET")) {
                nextInvocation(exchange);
            } else if (path.startsWith(RUNTIME + "invocation/") && method.equals("POST")) {
                invocationResult(exchange, path.substring((RUNTIME + "invocation/").length()));
            } else if (path.equals(RUNTIME + "init/error") && method.equals("POST")) {
                initError(exchange);
            } else if (path.equals(RUNTIME + "restore/next") && method.equals("GET")) {
                restoreNext(exchange);
            } else if (path.equals(RUNTIME + "restore/error") && method.equals("POST")) {
                restoreError(exchange);
            } else if (path.equals(EXTENSION + "register") && method.equals("POST")) {
                register(exchange);
            } else if (path.equals(EXTENSION + "event/next") && method.equals("GET")) {
                extensionNext(exchange);
            } else {
                error(exchange, 404, "UnknownPath", method + " " + path + " is not part of the Runtime or Extensions API");
            }
        }
    }

    private void nextInvocation(HttpExchange exchange) throws IOException {
        CompletableFuture<Handed> next = new CompletableFuture<>();
        CompletableFuture<Duration> restored = null;
        Duration restoreDuration = Duration.ZERO;
        synchronized (lock) {
            if (!runtimeAskedForNext) {
                runtimeAskedForNext = true;
                endInitWhenReady();
            }
            if (restoring != null && !restoreEnded) {
                restoreEnded = true;
                restored = restoring;
                restoreDuration = Duration.ofNanos(System.nanoTime() - restoreStartNanos);
            }
            Handed waiting = queued.pollFirst();
            if (waiting != null) {
                running.put(waiting.input().requestId(), waiting);
                next.complete(waiting);
            } else {
                waitingRuntimes.addLast(next);
                // right after a restore the first invocation is on its way: no stop and resume in between
                if (freezes && initEnded && !frozen && restored == null) {
                    frozen = true;
                    listener.freeze();
                }
            }
        }
        if (restored != null) {
            restored.complete(restoreDuration);
        }
        Handed handed;
        try {
            handed = next.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.CancellationException e) {
            return;
        }
        InvocationInput input = handed.input();
        var headers = exchange.getResponseHeaders();
        headers.set("Content-Type", "application/json");
        headers.set("Lambda-Runtime-Aws-Request-Id", input.requestId());
        long remainingMillis = TimeUnit.NANOSECONDS.toMillis(input.deadlineNanos() - System.nanoTime());
        headers.set("Lambda-Runtime-Deadline-Ms", Long.toString(System.currentTimeMillis() + remainingMillis));
        headers.set("Lambda-Runtime-Invoked-Function-Arn", spec.functionArn());
        headers.set("Lambda-Runtime-Trace-Id", traceId());
        if (!input.clientContextJson().isEmpty()) {
            headers.set("Lambda-Runtime-Client-Context", input.clientContextJson());
        }
        send(exchange, 200, input.payload());
    }

    private static String traceId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        byte[] id = new byte[12];
        random.nextBytes(id);
        return "Root=1-" + Long.toHexString(System.currentTimeMillis() / 1000) + "-" + HexFormat.of().formatHex(id)
                + ";Parent=" + HexFormat.of().formatHex(new byte[] {(byte) random.nextInt(), (byte) random.nextInt(),
                (byte) random.nextInt(), (byte) random.nextInt(), (byte) random.nextInt(), (byte) random.nextInt(),
                (byte) random.nextInt(), (byte) random.nextInt()}) + ";Sampled=0";
    }

    private void invocationResult(HttpExchange exchange, String rest) throws IOException {
        int slash = rest.indexOf('/');
        String requestId = slash < 0 ? rest : rest.substring(0, slash);
        String kind = slash < 0 ? "" : rest.substring(slash + 1);
        if (!kind.equals("response") && !kind.equals("error")) {
            error(exchange, 404, "UnknownPath", "POST " + RUNTIME + "invocation/" + rest + " is not part of the Runtime API");
            return;
        }
        byte[] body = readAll(exchange.getRequestBody());
        Handed handed;
        synchronized (lock) {
            handed = running.remove(requestId);
        }
        if (handed == null) {
            error(exchange, 400, "InvalidRequestID", "Invalid request ID: " + requestId);
            return;
        }
        listener.beforeResult();
        if (kind.equals("error")) {
            send(exchange, 202, "{\"status\":\"OK\"}".getBytes(StandardCharsets.UTF_8));
            handed.output().complete(new InvocationOutput.Failure(body, false));
        } else if (body.length > MAX_RESPONSE_BYTES) {
            error(exchange, 413, "RequestEntityTooLarge",
                    "Exceeded maximum allowed payload size (" + MAX_RESPONSE_BYTES + " bytes).");
            handed.output().complete(new InvocationOutput.Failure(FunctionErrors.of("Response payload size ("
                    + body.length + " bytes) exceeded maximum allowed payload size (" + MAX_RESPONSE_BYTES + " bytes).",
                    "Function.ResponseSizeTooLarge"), true));
        } else {
            send(exchange, 202, "{\"status\":\"OK\"}".getBytes(StandardCharsets.UTF_8));
            handed.output().complete(new InvocationOutput.Response(body));
        }
    }

    private void initError(HttpExchange exchange) throws IOException {
        byte[] body = readAll(exchange.getRequestBody());
        boolean duringInit;
        synchronized (lock) {
            duringInit = !initEnded;
            initEnded = true;
        }
        if (!duringInit) {
            error(exchange, 403, "InvalidStateTransition", "init/error is only allowed during the init phase");
            return;
        }
        send(exchange, 202, "{\"status\":\"OK\"}".getBytes(StandardCharsets.UTF_8));
        listener.initFailed(body);
    }

    private void restoreNext(HttpExchange exchange) throws IOException {
        CompletableFuture<Void> request = new CompletableFuture<>();
        String refusal = null;
        synchronized (lock) {
            if (!spec.snapStart()) {
                refusal = "restore/next is only allowed in a SnapStart environment"
                        + " (AWS_LAMBDA_INITIALIZATION_TYPE=snap-start)";
            } else if (initEnded || runtimeAskedForNext) {
                refusal = "restore/next is only allowed once, at the end of the init phase";
            } else {
                restoreRequest = request;
                runtimeAskedForNext = true;
                endInitWhenReady();
                if (freezes && initEnded && !frozen && restoring == null) {
                    frozen = true;
                    listener.freeze();
                }
            }
        }
        if (refusal != null) {
            error(exchange, 403, "InvalidStateTransition", refusal);
            return;
        }
        try {
            request.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.CancellationException e) {
            return;
        }
        send(exchange, 200, new byte[0]);
    }

    private void restoreError(HttpExchange exchange) throws IOException {
        byte[] body = readAll(exchange.getRequestBody());
        String errorType = exchange.getRequestHeaders().getFirst("Lambda-Runtime-Function-Error-Type");
        CompletableFuture<Duration> failing;
        synchronized (lock) {
            failing = restoring != null && !restoreEnded ? restoring : null;
            if (failing != null) {
                restoreEnded = true;
            }
        }
        if (failing == null) {
            error(exchange, 403, "InvalidStateTransition", "restore/error is only allowed during the restore phase");
            return;
        }
        send(exchange, 202, "{\"status\":\"OK\"}".getBytes(StandardCharsets.UTF_8));
        failing.completeExceptionally(new EnvironmentRestoreException("restore of environment " + spec.environmentId()
                + " of function " + spec.functionName() + " failed: " + (errorType == null ? "" : errorType + " ")
                + runtimeError(body), false));
    }

    /** The runtime's {@code {"errorType","errorMessage"}} as one line; the raw body when it is not such JSON. */
    private static String runtimeError(byte[] body) {
        try {
            JsonNode error = JSON.readTree(body);
            return error.path("errorType").asText("") + ": " + error.path("errorMessage").asText("");
        } catch (IOException e) {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private void register(HttpExchange exchange) throws IOException {
        String name = exchange.getRequestHeaders().getFirst("Lambda-Extension-Name");
        byte[] body = readAll(exchange.getRequestBody());
        if (name == null || name.isBlank()) {
            error(exchange, 400, "Extension.MissingExtensionName", "the Lambda-Extension-Name header is required");
            return;
        }
        JsonNode events;
        try {
            events = JSON.readTree(body).path("events");
        } catch (IOException e) {
            error(exchange, 400, "InvalidRequestFormat", "the body must be JSON such as {\"events\":[]}");
            return;
        }
        if (!events.isArray() || !events.isEmpty()) {
            error(exchange, 400, "Extension.InvalidEventType", "this local platform serves internal extensions that"
                    + " register for no events ({\"events\":[]}); an internal extension cannot register for SHUTDOWN");
            return;
        }
        String identifier = UUID.randomUUID().toString();
        synchronized (lock) {
            if (initEnded || runtimeAskedForNext) {
                identifier = null;
            } else {
                extensions.add(identifier);
            }
        }
        if (identifier == null) {
            error(exchange, 403, "Extension.InvalidRegistration", "extensions register during the init phase only");
            return;
        }
        ObjectNode answer = JSON.createObjectNode()
                .put("functionName", spec.functionName())
                .put("functionVersion", "$LATEST")
                .put("handler", spec.handler());
        exchange.getResponseHeaders().set("Lambda-Extension-Identifier", identifier);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        send(exchange, 200, JSON.writeValueAsBytes(answer));
    }

    private void extensionNext(HttpExchange exchange) throws IOException {
        String identifier = exchange.getRequestHeaders().getFirst("Lambda-Extension-Identifier");
        synchronized (lock) {
            if (identifier == null || !extensions.contains(identifier)) {
                identifier = null;
            } else {
                readyExtensions.add(identifier);
                endInitWhenReady();
            }
        }
        if (identifier == null) {
            error(exchange, 403, "Extension.UnknownExtensionIdentifier",
                    "the Lambda-Extension-Identifier header must name a registered extension");
            return;
        }
        try {
            closed.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Under the lock. */
    private void endInitWhenReady() {
        if (!initEnded && runtimeAskedForNext && readyExtensions.containsAll(extensions)) {
            initEnded = true;
            listener.initDone();
        }
    }

    private static byte[] readAll(InputStream body) throws IOException {
        return body.readAllBytes();
    }

    private static void error(HttpExchange exchange, int status, String type, String message) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        send(exchange, status, JSON.writeValueAsBytes(JSON.createObjectNode().put("errorMessage", message)
                .put("errorType", type)));
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /** Stops serving: blocked calls end, their connections close. */
    @Override
    public void close() {
        closed.countDown();
        synchronized (lock) {
            waitingRuntimes.forEach(waiting -> waiting.cancel(false));
            waitingRuntimes.clear();
            if (restoreRequest != null) {
                restoreRequest.cancel(false);
            }
        }
        server.stop(0);
        executor.shutdownNow();
    }
}
