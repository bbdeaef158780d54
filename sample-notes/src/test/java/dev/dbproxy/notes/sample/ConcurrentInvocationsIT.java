package dev.dbproxy.notes.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dbproxy.lambda.environment.InvocationConcurrency;
import dev.dbproxy.lambda.platform.FunctionDefinition;
import dev.dbproxy.lambda.platform.LocalLambdaPlatform;
import dev.dbproxy.localmongodb.EmbeddedMongoDb;
import dev.dbproxy.notes.core.domain.Note;
import dev.dbproxy.notes.core.domain.NoteId;
import dev.dbproxy.notes.core.port.CallerContext;
import dev.dbproxy.notes.core.port.NoteRepositories;
import dev.dbproxy.notes.core.port.NoteRepository;
import dev.dbproxy.notes.sample.proxy.RecordingProxyHandler;
import dev.dbproxy.notes.testkit.DelegatingNoteRepository;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;

/**
 * One notes function object invoked by {@value #INVOCATIONS} threads at once, as a Lambda Managed Instances environment
 * with {@code AWS_LAMBDA_MAX_CONCURRENCY=64} runs it, on each strategy's real path (the embedded MongoDB; for the proxy
 * strategy the real AWS SDK, the local platform's Invoke API and the real DB proxy). Every invocation has its own
 * request id and deadline; its repository calls are held until all of them have arrived, so they contend for the
 * environment's one client at the same moment. Each invocation must get its own answer, its own caller context (request
 * id and deadline, in the repository and on the proxy's requests), its own log line; exactly one reports the cold
 * start; and the database sees no connection beyond the pool and its monitor.
 */
class ConcurrentInvocationsIT {

    private static final int INVOCATIONS = 64;
    /** What the functions keep of the invocation's time to answer ({@code NotesHttpFunction}). */
    private static final Duration RESPONSE_MARGIN = Duration.ofMillis(300);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PROXY = "db-proxy";
    private static final int PROXY_ENVIRONMENTS = 4;
    /** All invocations wait for the first server discovery at once: on a loaded machine it may take seconds. */
    private static final String SERVER_SELECTION_TIMEOUT = "MONGODB_SERVER_SELECTION_TIMEOUT_MS";
    private static final String SLOW_MACHINE_SERVER_SELECTION = "10000";

    @TempDir
    Path temporary;

    @Test
    void direct_invocationsAtOnce_eachGetTheirOwnNoteAndContext_onThePoolOfOneConnectionPer32AndItsMonitor()
            throws Exception {
        try (EmbeddedMongoDb db = EmbeddedMongoDb.start()) {
            Map<String, String> env = Map.of("NOTES_REPOSITORY", "direct", "MONGODB_URI", db.connectionString(),
                    SERVER_SELECTION_TIMEOUT, SLOW_MACHINE_SERVER_SELECTION,
                    InvocationConcurrency.MAX_CONCURRENCY, Integer.toString(INVOCATIONS));
            Invocations invocations = new Invocations();
            try (Gate gate = new Gate(NoteRepositories.fromEnvironment(env, getClass().getClassLoader()))) {
                invocations.createAndReadBack(new NotesFunctionConfiguration(gate, "direct"), gate);
            }

            long created = db.connectionStats().totalCreated();
            assertTrue(created <= 2 + 1, "64 concurrent invocations: a pool of 2 and a monitor, but " + created
                    + " connections were opened");
        }
    }

    @Test
    void lambdaProxy_invocationsAtOnce_eachGetTheirOwnNote_andTheProxyRequestsOfEachCarryItsIdAndDeadlineOnly()
            throws Exception {
        Path recorded = temporary.resolve("proxy-requests.txt");
        try (EmbeddedMongoDb db = EmbeddedMongoDb.start(); LocalLambdaPlatform platform = LocalLambdaPlatform.start()) {
            platform.deploy(FunctionDefinition.builder(PROXY, RecordingProxyHandler.class.getName())
                    .timeout(Duration.ofSeconds(10))
                    .reservedConcurrency(PROXY_ENVIRONMENTS)
                    .environment(Map.of("MONGODB_URI", db.connectionString(),
                            SERVER_SELECTION_TIMEOUT, SLOW_MACHINE_SERVER_SELECTION,
                            "PROXY_ALLOWED_DATABASE", "notes", "PROXY_ALLOWED_COLLECTIONS", "notes",
                            "PROXY_ALLOWED_ACTIONS", "find,findOne,insertOne,updateOne,deleteOne",
                            RecordingProxyHandler.RECORDED_REQUESTS, recorded.toString()))
                    .build());
            Map<String, String> env = new HashMap<>(Map.of("NOTES_REPOSITORY", "lambda-proxy",
                    "NOTES_PROXY_FUNCTION", platform.functionArn(PROXY),
                    "NOTES_PROXY_DEADLINE_MS", "120000",
                    "AWS_ENDPOINT_URL_LAMBDA", platform.invokeEndpoint().toString(),
                    "AWS_REGION", "us-east-1", "AWS_ACCESS_KEY_ID", "local", "AWS_SECRET_ACCESS_KEY", "local"));
            env.put(InvocationConcurrency.MAX_CONCURRENCY, Integer.toString(INVOCATIONS));
            // Each invocation's requests its own (protocol version 1); calls of several invocations sharing one
            // request, each operation with its own id and deadline, are proxy-client's CoalescingAcrossInvocationsIT.
            env.put("NOTES_PROXY_COALESCE_ACROSS_INVOCATIONS", "false");
            Invocations invocations = new Invocations();
            Gate gate;
            try (Gate opened = new Gate(NoteRepositories.fromEnvironment(env, getClass().getClassLoader()))) {
                gate = opened;
                invocations.createAndReadBack(new NotesFunctionConfiguration(gate, "lambda-proxy"), gate);
            }

            Map<String, List<ProxyRequest>> requestsByInvocation = Files.readAllLines(recorded).stream()
                    .map(ProxyRequest::parse)
                    .collect(Collectors.groupingBy(ProxyRequest::invocation));
            assertEquals(invocations.deadlines.keySet(), requestsByInvocation.keySet(), "every invocation, no other");
            requestsByInvocation.forEach((invocation, requests) -> {
                assertEquals(gate.callsOf(invocation), requests.size(),
                        () -> invocation + ": one proxy request per repository call, shared with no one: " + requests);
                Instant due = invocations.deadlines.get(invocation).minus(RESPONSE_MARGIN);
                requests.forEach(request -> {
                    assertEquals(1, request.operations(), () -> invocation + ": " + request);
                    assertDueAt(due, request.deadline(), invocation);
                });
            });
            long created = db.connectionStats().totalCreated();
            assertTrue(created <= PROXY_ENVIRONMENTS * 2L, "each proxy environment holds a pool of 1 and a monitor,"
                    + " but " + created + " connections were opened");
        }
    }

    /** The invocations of one test: each with its own request id and deadline, created and read back at once. */
    private final class Invocations {

        final Map<String, Instant> deadlines = new ConcurrentHashMap<>();
        private final Instant start = Instant.now();

        String requestId(int index) {
            return "invocation-" + index;
        }

        /** Each invocation's own deadline, 50 ms apart from the next one's, so that a mix-up shows. */
        RecordingContext context(int index) {
            Instant deadline = start.plusSeconds(30).plusMillis(50L * index);
            deadlines.put(requestId(index), deadline);
            return new RecordingContext(requestId(index), deadline);
        }

        void createAndReadBack(NotesFunctionConfiguration configuration, Gate gate) throws Exception {
            CreateNoteHandler create = new CreateNoteHandler(configuration, Clock.systemUTC());
            List<RecordingContext> createContexts = IntStream.range(0, INVOCATIONS).mapToObj(this::context).toList();
            List<APIGatewayV2HTTPResponse> created = atOnce(index -> create.handleRequest(ApiGatewayEvents.load(
                    "create-note", Map.of("body", "{\"title\":\"note of " + requestId(index) + "\"}")),
                    createContexts.get(index)));
            List<String> ids = new ArrayList<>();
            for (int index = 0; index < INVOCATIONS; index++) {
                JsonNode note = body(created.get(index), 201);
                assertEquals("note of " + requestId(index), note.path("title").asText(), note::toString);
                ids.add(note.path("id").asText());
            }
            assertOwnLogLines(createContexts, 201);

            GetNoteHandler get = new GetNoteHandler(configuration, Clock.systemUTC());
            List<RecordingContext> getContexts = IntStream.range(0, INVOCATIONS).mapToObj(this::context).toList();
            gate.reopen();
            List<APIGatewayV2HTTPResponse> read = atOnce(index -> get.handleRequest(
                    ApiGatewayEvents.load("get-note", Map.of("id", ids.get(index))), getContexts.get(index)));
            for (int index = 0; index < INVOCATIONS; index++) {
                JsonNode note = body(read.get(index), 200);
                assertEquals(ids.get(index), note.path("id").asText());
                assertEquals("note of " + requestId(index), note.path("title").asText(), note::toString);
            }
            assertOwnLogLines(getContexts, 200);

            assertEquals(2 * INVOCATIONS, gate.callers.size(), "one repository call per invocation");
            gate.callers.forEach((call, caller) -> {
                String owner = call.substring(0, call.indexOf('#'));
                assertEquals(owner, caller.requestId(), "the caller context of another invocation reached " + call);
                assertDueAt(deadlines.get(owner).minus(RESPONSE_MARGIN), caller.deadline(), owner);
            });
        }

        /** Each invocation logged one line, under its own request id; one line of all reports the cold start. */
        private void assertOwnLogLines(List<RecordingContext> contexts, int status) {
            long coldStarts = 0;
            for (RecordingContext context : contexts) {
                assertEquals(1, context.logLines.size(), context.logLines::toString);
                JsonNode line = parse(context.logLines.getFirst());
                assertEquals(context.getAwsRequestId(), line.path("requestId").asText(), line::toString);
                assertEquals(status, line.path("status").asInt(), line::toString);
                coldStarts += line.path("coldStart").asBoolean() ? 1 : 0;
            }
            assertEquals(1, coldStarts, "exactly one invocation of a new function object is its cold start");
        }
    }

    /**
     * The environment's repository, shared by all invocations, which records the caller context of each call against
     * the invocation the call is for (from the note it creates or reads), and holds each call until every invocation
     * has made one (at most 10 s), so that all reach the real repository at once.
     */
    private static final class Gate extends DelegatingNoteRepository {

        /** Each call's caller context, by the invocation whose note it creates or reads and the call's name. */
        final Map<String, CallerContext> callers = new ConcurrentHashMap<>();
        private final Map<String, String> ownerOfNote = new ConcurrentHashMap<>();
        private volatile CountDownLatch arrivals = new CountDownLatch(INVOCATIONS);

        Gate(NoteRepository repository) {
            super(repository);
        }

        void reopen() {
            arrivals = new CountDownLatch(INVOCATIONS);
        }

        long callsOf(String invocation) {
            return callers.keySet().stream().filter(key -> key.startsWith(invocation + "#")).count();
        }

        @Override
        public Mono<Note> create(Note note) {
            String owner = note.title().substring("note of ".length());
            ownerOfNote.put(note.id().value(), owner);
            return held(owner, "create", () -> super.create(note));
        }

        @Override
        public Mono<Note> findById(NoteId id) {
            return held(ownerOfNote.get(id.value()), "findById", () -> super.findById(id));
        }

        private <T> Mono<T> held(String owner, String call, Supplier<Mono<T>> delegate) {
            return Mono.deferContextual(view -> {
                callers.put(owner + "#" + call, CallerContext.from(view).orElseThrow());
                CountDownLatch gate = arrivals;
                gate.countDown();
                try {
                    assertTrue(gate.await(10, TimeUnit.SECONDS), "not all invocations called the repository");
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return Mono.error(e);
                }
                return delegate.get();
            });
        }
    }

    /** A request the proxy served: the invocation its request id leads back to, and the deadline it carried. */
    private record ProxyRequest(String invocation, Instant deadline, int operations) {

        static ProxyRequest parse(String line) {
            String[] fields = line.split(" ");
            return new ProxyRequest(fields[0].substring(0, fields[0].indexOf('/')),
                    Instant.ofEpochMilli(Long.parseLong(fields[1])), Integer.parseInt(fields[2]));
        }
    }

    private static void assertDueAt(Instant expected, Instant actual, String invocation) {
        long apart = Math.abs(Duration.between(expected, actual).toMillis());
        assertTrue(apart <= 5, invocation + ": due at " + actual + ", its deadline is " + expected);
    }

    /** Runs {@code invocation} for every index on a thread of its own, all released at once; answers in order. */
    private static <T> List<T> atOnce(IntFunction<T> invocation) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(INVOCATIONS);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<T>> running = IntStream.range(0, INVOCATIONS)
                    .mapToObj(index -> threads.submit(() -> {
                        start.await();
                        return invocation.apply(index);
                    }))
                    .toList();
            start.countDown();
            List<T> answers = new ArrayList<>();
            for (Future<T> answer : running) {
                answers.add(answer.get(60, TimeUnit.SECONDS));
            }
            return answers;
        } finally {
            threads.shutdownNow();
        }
    }

    private static JsonNode body(APIGatewayV2HTTPResponse response, int status) {
        assertEquals(status, response.getStatusCode(), response::getBody);
        return parse(response.getBody());
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
