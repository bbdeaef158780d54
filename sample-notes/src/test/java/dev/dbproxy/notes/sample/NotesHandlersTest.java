package dev.dbproxy.notes.sample;

import static dev.dbproxy.notes.testkit.NoteBuilder.aNote;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dbproxy.notes.core.domain.Note;
import dev.dbproxy.notes.core.domain.NoteChanges;
import dev.dbproxy.notes.core.domain.NoteId;
import dev.dbproxy.notes.core.domain.NotePage;
import dev.dbproxy.notes.core.domain.NotePageRequest;
import dev.dbproxy.notes.core.port.CallerContext;
import dev.dbproxy.notes.core.port.NoteRepository;
import dev.dbproxy.notes.testkit.DelegatingNoteRepository;
import dev.dbproxy.notes.testkit.InMemoryNoteRepository;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Mono;

class NotesHandlersTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");
    private static final Duration WAIT = Duration.ofSeconds(5);

    private final InMemoryNoteRepository notes = new InMemoryNoteRepository();
    private final NotesFunctionConfiguration configuration = new NotesFunctionConfiguration(notes, "in-memory");
    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final RecordingContext context = new RecordingContext();

    @Test
    void create_returns201WithTheNoteAndItsLocation() throws Exception {
        APIGatewayV2HTTPResponse response = create("{\"title\":\"  Groceries \",\"description\":\"milk\"}");

        JsonNode body = JSON.readTree(response.getBody());
        assertEquals(201, response.getStatusCode());
        assertEquals("Groceries", body.get("title").asText());
        assertEquals("milk", body.get("description").asText());
        assertEquals(NOW.toString(), body.get("createdAt").asText());
        assertEquals("/direct/notes/" + body.get("id").asText(), response.getHeaders().get("Location"));
        assertEquals(1L, notes.count().block(WAIT));
    }

    @Test
    void create_retriedWithItsIdempotencyKey_answersTheFirstNote_andStoresOne() throws Exception {
        APIGatewayV2HTTPResponse first = createWithKey("{\"title\":\"Pay rent\"}", "8f14e45f-key-1");
        // The retry runs later, so the note it builds differs from the stored one (createdAt): the use case, not the
        // repository's own retry detection, has to find the first note.
        APIGatewayV2HTTPResponse retried = new CreateNoteHandler(configuration,
                Clock.fixed(NOW.plusSeconds(30), ZoneOffset.UTC)).handleRequest(
                        withKey("{\"title\":\"Pay rent\"}", "8f14e45f-key-1"), context);
        APIGatewayV2HTTPResponse otherKey = createWithKey("{\"title\":\"Pay rent\"}", "8f14e45f-key-2");

        assertEquals(201, first.getStatusCode(), first.getBody());
        assertEquals(201, retried.getStatusCode(), retried.getBody());
        assertEquals(JSON.readTree(first.getBody()), JSON.readTree(retried.getBody()));
        assertEquals(first.getHeaders().get("Location"), retried.getHeaders().get("Location"));
        assertEquals(201, otherKey.getStatusCode());
        assertEquals(2L, notes.count().block(WAIT), "one note per key");
    }

    @Test
    void create_withAKeyUsedForAnotherNote_orAMalformedKey_is400NamingTheHeader_andStoresNothingMore()
            throws Exception {
        createWithKey("{\"title\":\"Pay rent\"}", "key-1");

        assertProblem(createWithKey("{\"title\":\"Pay bills\"}", "key-1"), 400, "Idempotency-Key");
        assertProblem(createWithKey("{\"title\":\"Pay rent\",\"description\":\"x\"}", "key-1"), 400,
                "Idempotency-Key");
        for (String malformed : new String[] {"", "two words", "k".repeat(256), "clé"}) {
            assertProblem(createWithKey("{\"title\":\"t\"}", malformed), 400, "Idempotency-Key");
        }
        assertEquals(1L, notes.count().block(WAIT));
    }

    @Test
    void create_acceptsABase64EncodedBody() throws Exception {
        String encoded = Base64.getEncoder().encodeToString("{\"title\":\"Ünïcødé ✓\"}".getBytes(StandardCharsets.UTF_8));

        APIGatewayV2HTTPResponse response = new CreateNoteHandler(configuration, clock).handleRequest(
                ApiGatewayEvents.load("create-note-base64", Map.of("body", encoded)), context);

        assertEquals(201, response.getStatusCode());
        assertEquals("Ünïcødé ✓", JSON.readTree(response.getBody()).get("title").asText());
    }

    @Test
    void create_refusesABodyThatIsNotValidUtf8_insteadOfStoringReplacementCharacters() throws Exception {
        byte[] invalid = {'{', '"', 't', 'i', 't', 'l', 'e', '"', ':', '"', (byte) 0xC0, (byte) 0x80, '"', '}'};
        String encoded = Base64.getEncoder().encodeToString(invalid);

        APIGatewayV2HTTPResponse response = new CreateNoteHandler(configuration, clock).handleRequest(
                ApiGatewayEvents.load("create-note-base64", Map.of("body", encoded)), context);

        assertProblem(response, 400, "body");
        assertEquals(0L, notes.count().block(WAIT));
    }

    @Test
    void create_rejectsBadBodiesWith4xxNamingTheField_andStoresNothing() throws Exception {
        assertProblem(create("{\"title\":\"   \"}"), 400, "title");
        assertProblem(create("{\"title\":42}"), 400, "title");
        assertProblem(create("{\"title\":\"t\",\"owner\":{\"$ne\":null}}"), 400, "owner");
        assertProblem(create("{\"title\":"), 400, "body");
        assertProblem(create("[\"title\"]"), 400, "body");
        assertProblem(create("{\"title\":\"a\",\"title\":\"b\"}"), 400, "body");
        assertProblem(create("{\"title\":\"t\",\"description\":\"" + "d".repeat(10_001) + "\"}"), 400, "description");
        assertProblem(create("{\"title\":\"" + "x".repeat(70_000) + "\"}"), 413, "body");
        assertProblem(create("[".repeat(5000)), 400, "body");
        assertProblem(create("{\"title\":\"t\"}garbage"), 400, "body");
        assertProblem(create("{\"title\":\"t\"} {\"title\":\"u\"}"), 400, "body");

        assertEquals(0L, notes.count().block(WAIT));
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/x-www-form-urlencoded", "application/jsonp", "application/json-seq",
            "text/plain; charset=application/json"})
    void create_withAnotherContentType_is415(String contentType) throws Exception {
        var event = ApiGatewayEvents.load("create-note", Map.of("body", "{\"title\":\"x\"}"));
        event.getHeaders().put("content-type", contentType);

        assertProblem(new CreateNoteHandler(configuration, clock).handleRequest(event, context), 415, "Content-Type");
        assertEquals(0L, notes.count().block(WAIT));
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/json", "Application/JSON; charset=utf-8", "application/json ;charset=UTF-8"})
    void create_withJsonWithOrWithoutParameters_isAccepted(String contentType) throws Exception {
        var event = ApiGatewayEvents.load("create-note", Map.of("body", "{\"title\":\"x\"}"));
        event.getHeaders().put("content-type", contentType);

        assertEquals(201, new CreateNoteHandler(configuration, clock).handleRequest(event, context).getStatusCode());
    }

    @Test
    void get_callsTheRepositoryAsThisInvocation_withItsRequestIdAndTheEndOfItsBudget() {
        List<CallerContext> callers = new CopyOnWriteArrayList<>();
        NoteRepository recording = new DelegatingNoteRepository(notes) {
            @Override
            public Mono<Note> findById(NoteId id) {
                return Mono.deferContextual(view -> {
                    CallerContext.from(view).ifPresent(callers::add);
                    return super.findById(id);
                });
            }
        };
        Instant before = Instant.now();

        new GetNoteHandler(new NotesFunctionConfiguration(recording, "recording"), clock)
                .handleRequest(ApiGatewayEvents.load("get-note", Map.of("id", NoteId.generate().value())), context);

        CallerContext caller = callers.getFirst();
        assertEquals(context.getAwsRequestId(), caller.requestId());
        assertTrue(caller.deadline().isAfter(before.plusSeconds(9))
                && !caller.deadline().isAfter(Instant.now().plusMillis(context.getRemainingTimeInMillis())),
                "the deadline ends the invocation's 10 s budget, less the margin for answering: " + caller.deadline());
    }

    @Test
    void get_returnsTheNote_or404_or400ForAMalformedId() throws Exception {
        Note note = notes.create(aNote().withTitle("kept").build()).block(WAIT);

        APIGatewayV2HTTPResponse found = get(note.id().value());
        APIGatewayV2HTTPResponse missing = get(NoteId.generate().value());

        assertEquals(200, found.getStatusCode());
        assertEquals("kept", JSON.readTree(found.getBody()).get("title").asText());
        assertEquals("application/json", found.getHeaders().get("Content-Type"));
        assertEquals(404, missing.getStatusCode());
        assertEquals("application/problem+json", missing.getHeaders().get("Content-Type"));
        assertProblem(get("{\"$ne\":null}"), 400, "id");
        assertProblem(get("not-an-id"), 400, "id");
    }

    @Test
    void list_pagesNewestFirstWithACursor() throws Exception {
        for (int i = 0; i < 3; i++) {
            notes.create(aNote().withTitle("n" + i).createdAt(NOW.minusSeconds(10 - i)).build()).block(WAIT);
        }

        JsonNode first = JSON.readTree(list("2", "").getBody());
        JsonNode second = JSON.readTree(list("2", first.get("nextCursor").asText()).getBody());

        assertEquals("n2", first.get("notes").get(0).get("title").asText());
        assertEquals(2, first.get("notes").size());
        assertEquals(1, second.get("notes").size());
        assertEquals("n0", second.get("notes").get(0).get("title").asText());
        assertTrue(second.get("nextCursor").isNull());
    }

    @Test
    void list_withoutQueryParameters_usesTheDefaultPage() throws Exception {
        notes.create(aNote().build()).block(WAIT);

        APIGatewayV2HTTPResponse response = new ListNotesHandler(configuration, clock)
                .handleRequest(ApiGatewayEvents.load("list-notes-no-query", Map.of()), context);

        assertEquals(200, response.getStatusCode());
        assertEquals(1, JSON.readTree(response.getBody()).get("notes").size());
    }

    @Test
    void list_rejectsABadLimitOrCursor() throws Exception {
        assertProblem(list("0", ""), 400, "limit");
        assertProblem(list("101", ""), 400, "limit");
        assertProblem(list("ten", ""), 400, "limit");
        assertProblem(list("10", "forged"), 400, "cursor");
    }

    @Test
    void update_changesOnlyTheGivenFields() throws Exception {
        Note note = notes.create(aNote().withTitle("before").withDescription("kept").build()).block(WAIT);

        APIGatewayV2HTTPResponse response = update(note.id().value(), "{\"title\":\"after\"}");

        JsonNode body = JSON.readTree(response.getBody());
        assertEquals(200, response.getStatusCode());
        assertEquals("after", body.get("title").asText());
        assertEquals("kept", body.get("description").asText());
        assertEquals(NOW.toString(), body.get("updatedAt").asText());
        assertProblem(update(note.id().value(), "{}"), 400, "body");
        assertEquals(404, update(NoteId.generate().value(), "{\"title\":\"x\"}").getStatusCode());
    }

    @Test
    void delete_returns204_thenTheNoteIsGone() {
        Note note = notes.create(aNote().build()).block(WAIT);

        assertEquals(204, delete(note.id().value()).getStatusCode());
        assertEquals(404, delete(note.id().value()).getStatusCode());
        assertEquals(404, get(note.id().value()).getStatusCode());
    }

    @Test
    void everyRequest_writesOneStructuredLogLine() throws Exception {
        GetNoteHandler handler = new GetNoteHandler(configuration, clock);
        handler.handleRequest(ApiGatewayEvents.load("get-note", Map.of("id", NoteId.generate().value())), context);
        handler.handleRequest(ApiGatewayEvents.load("get-note", Map.of("id", "bad")), context);

        assertEquals(2, context.logLines.size());
        JsonNode first = JSON.readTree(context.logLines.get(0));
        JsonNode second = JSON.readTree(context.logLines.get(1));
        assertEquals("GET /notes/{id}", first.get("route").asText());
        assertEquals(404, first.get("status").asInt());
        assertEquals("in-memory", first.get("strategy").asText());
        assertTrue(first.get("coldStart").asBoolean());
        assertFalse(second.get("coldStart").asBoolean());
        assertEquals(400, second.get("status").asInt());
        assertTrue(first.get("durationMs").asDouble() >= 0);
        assertEquals(context.getAwsRequestId(), first.get("requestId").asText());
        assertEquals("INFO", first.get("level").asText());
        assertEquals("GET /notes/{id} answered 404", first.get("message").asText());
        assertTrue(Instant.parse(first.get("timestamp").asText()).isAfter(Instant.now().minusSeconds(60)));
    }

    @Test
    void primingForASnapshot_readsThroughTheWholeHandler_writesAndLogsNothing_andLeavesTheColdStartToTheFirstRequest() {
        List<String> calls = new CopyOnWriteArrayList<>();
        NoteRepository recording = new DelegatingNoteRepository(notes) {
            @Override
            public Mono<Note> findById(NoteId id) {
                calls.add("findById");
                return super.findById(id);
            }

            @Override
            public Mono<NotePage> listNewestFirst(NotePageRequest request) {
                calls.add("listNewestFirst");
                return super.listNewestFirst(request);
            }

            @Override
            public Mono<Note> create(Note note) {
                calls.add("create");
                return super.create(note);
            }

            @Override
            public Mono<Note> update(NoteId id, NoteChanges changes, Instant updatedAt) {
                calls.add("update");
                return super.update(id, changes, updatedAt);
            }

            @Override
            public Mono<Boolean> delete(NoteId id) {
                calls.add("delete");
                return super.delete(id);
            }
        };
        NotesFunctionConfiguration recorded = new NotesFunctionConfiguration(recording, "in-memory");
        Map<String, String> snapStartInit = Map.of("AWS_LAMBDA_INITIALIZATION_TYPE", "snap-start");
        GetNoteHandler get = new GetNoteHandler(recorded, clock);
        List<NotesHttpFunction> writers = List.of(new CreateNoteHandler(recorded, clock),
                new UpdateNoteHandler(recorded, clock), new DeleteNoteHandler(recorded, clock));

        get.primeForSnapshot(Map.of("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand"));
        assertEquals(List.of(), calls, "an on-demand init primes nothing");

        get.primeForSnapshot(snapStartInit);
        new ListNotesHandler(recorded, clock).primeForSnapshot(snapStartInit);
        writers.forEach(writer -> writer.primeForSnapshot(snapStartInit));
        assertEquals(List.of("findById", "listNewestFirst"), calls, "the reads ran, no write reached the repository");
        assertEquals(0L, notes.count().block(WAIT));

        get.handleRequest(ApiGatewayEvents.load("get-note", Map.of("id", NoteId.generate().value())), context);
        assertEquals(1, context.logLines.size(), "only the real request is logged");
        assertTrue(context.logLines.getFirst().contains("\"coldStart\":true"), context.logLines.getFirst());
    }

    private APIGatewayV2HTTPResponse create(String body) {
        return new CreateNoteHandler(configuration, clock)
                .handleRequest(ApiGatewayEvents.load("create-note", Map.of("body", body)), context);
    }

    private APIGatewayV2HTTPResponse createWithKey(String body, String idempotencyKey) {
        return new CreateNoteHandler(configuration, clock).handleRequest(withKey(body, idempotencyKey), context);
    }

    private static APIGatewayV2HTTPEvent withKey(String body, String idempotencyKey) {
        var event = ApiGatewayEvents.load("create-note", Map.of("body", body));
        event.getHeaders().put("Idempotency-Key", idempotencyKey);
        return event;
    }

    private APIGatewayV2HTTPResponse get(String id) {
        return new GetNoteHandler(configuration, clock)
                .handleRequest(ApiGatewayEvents.load("get-note", Map.of("id", id)), context);
    }

    private APIGatewayV2HTTPResponse list(String limit, String cursor) {
        return new ListNotesHandler(configuration, clock)
                .handleRequest(ApiGatewayEvents.load("list-notes", Map.of("limit", limit, "cursor", cursor)), context);
    }

    private APIGatewayV2HTTPResponse update(String id, String body) {
        return new UpdateNoteHandler(configuration, clock)
                .handleRequest(ApiGatewayEvents.load("update-note", Map.of("id", id, "body", body)), context);
    }

    private APIGatewayV2HTTPResponse delete(String id) {
        return new DeleteNoteHandler(configuration, clock)
                .handleRequest(ApiGatewayEvents.load("delete-note", Map.of("id", id)), context);
    }

    static void assertProblem(APIGatewayV2HTTPResponse response, int status, String field) throws Exception {
        assertEquals(status, response.getStatusCode(), response.getBody());
        assertEquals("application/problem+json", response.getHeaders().get("Content-Type"));
        JsonNode problem = JSON.readTree(response.getBody());
        assertEquals(status, problem.get("status").asInt());
        assertEquals(field, problem.get("field").asText(), response.getBody());
    }
}
