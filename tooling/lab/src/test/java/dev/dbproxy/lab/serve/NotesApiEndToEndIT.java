package dev.dbproxy.lab.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The notes API of {@code sample-notes/template.yaml} over real HTTP, through the local gateway, the local Lambda
 * platform and the embedded MongoDB ({@link LocalNotesStack}): every route and the documented client errors, for
 * both strategies, and both strategies seeing the same notes. Client errors are RFC 9457 problem documents, never a
 * 500. (Throttling and an unavailable database are the reliability module's tests.)
 */
class NotesApiEndToEndIT {

    private static final String JSON = "application/json";
    private static final String PROBLEM_JSON = "application/problem+json";
    private static final String ABSENT_ID = "0123456789abcdef01234567";
    private static final int MAX_BODY_BYTES = 64 * 1024;
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static LocalNotesStack stack;

    @BeforeAll
    static void startStack() {
        stack = LocalNotesStack.start();
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"/direct", "/proxy"})
    void create_retriedWithItsIdempotencyKey_answersTheFirstNote_andTheKeyCannotMakeAnother(String strategy) {
        String key = "end-to-end" + strategy.replace('/', '-') + "-" + System.nanoTime();
        String body = "{\"title\":\"Once\",\"description\":\"" + key + "\"}";

        Answer first = send(strategy, "POST", "/notes", JSON, body, "Idempotency-Key", key);
        Answer retried = send(strategy, "POST", "/notes", JSON, body, "Idempotency-Key", key);
        Answer misused = send(strategy, "POST", "/notes", JSON, "{\"title\":\"Twice\"}", "Idempotency-Key", key);

        assertEquals(201, first.status(), first::toString);
        assertEquals(201, retried.status(), retried::toString);
        assertEquals(first.json(), retried.json(), "the same note, same id and timestamps");
        assertProblem(misused, 400, "Idempotency-Key");
        assertEquals("Once", send(strategy, "GET", "/notes/" + first.json().get("id").asText(), null, null).json()
                .get("title").asText());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/direct", "/proxy"})
    void create_answers201WithTheNoteAndItsLocation_andGetReadsItBack(String strategy) {
        Answer created = send(strategy, "POST", "/notes", JSON, "{\"title\":\"Groceries\",\"description\":\"milk, eggs\"}");

        assertEquals(201, created.status(), created::toString);
        assertEquals(JSON, created.contentType());
        JsonNode note = created.json();
        String id = note.get("id").asText();
        assertEquals("Groceries", note.get("title").asText());
        assertEquals("milk, eggs", note.get("description").asText());
        assertEquals(note.get("createdAt"), note.get("updatedAt"));
        assertEquals(strategy + "/notes/" + id, created.header("Location"));

        Answer fetched = send("", "GET", created.header("Location"), null, null);
        assertEquals(200, fetched.status(), fetched::toString);
        assertEquals(note, fetched.json());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/direct", "/proxy"})
    void list_pagesThroughEveryNoteNewestFirst_withLimitAndCursor(String strategy) {
        List<String> createdIds = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            createdIds.add(create(strategy, "page note " + i).get("id").asText());
        }

        List<JsonNode> listed = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            String query = "?limit=2" + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
            Answer page = send(strategy, "GET", "/notes" + query, null, null);
            assertEquals(200, page.status(), page::toString);
            JsonNode notes = page.json().get("notes");
            assertTrue(notes.size() <= 2, "a page holds at most limit notes");
            notes.forEach(listed::add);
            JsonNode next = page.json().get("nextCursor");
            cursor = next.isNull() ? null : next.asText();
            assertTrue(cursor == null || notes.size() == 2, "only the last page is short");
            pages++;
        } while (cursor != null);

        List<String> listedIds = listed.stream().map(note -> note.get("id").asText()).toList();
        assertEquals(listedIds.size(), new HashSet<>(listedIds).size(), "no note is listed twice");
        assertTrue(listedIds.containsAll(createdIds), "every note is listed");
        assertTrue(pages >= 3, "5 notes or more take at least 3 pages of 2");
        Comparator<JsonNode> newestFirst = Comparator
                .comparing((JsonNode note) -> Instant.parse(note.get("createdAt").asText()))
                .thenComparing(note -> note.get("id").asText())
                .reversed();
        assertEquals(listed.stream().sorted(newestFirst).toList(), listed, "newest first, by createdAt then id");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/direct", "/proxy"})
    void update_changesOnlyTheFieldsGiven(String strategy) {
        JsonNode note = create(strategy, "Before");
        String id = note.get("id").asText();

        Answer updated = send(strategy, "PUT", "/notes/" + id, JSON, "{\"description\":\"after\"}");

        assertEquals(200, updated.status(), updated::toString);
        assertEquals("Before", updated.json().get("title").asText());
        assertEquals("after", updated.json().get("description").asText());
        assertEquals(note.get("createdAt"), updated.json().get("createdAt"));
        assertEquals(updated.json(), send(strategy, "GET", "/notes/" + id, null, null).json());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/direct", "/proxy"})
    void delete_answers204_andThenTheNoteIsGoneFromEveryRoute(String strategy) {
        String id = create(strategy, "Short-lived").get("id").asText();

        Answer deleted = send(strategy, "DELETE", "/notes/" + id, null, null);

        assertEquals(204, deleted.status(), deleted::toString);
        assertEquals("", deleted.body());
        assertProblem(send(strategy, "GET", "/notes/" + id, null, null), 404, null);
        assertProblem(send(strategy, "PUT", "/notes/" + id, JSON, "{\"title\":\"x\"}"), 404, null);
        assertProblem(send(strategy, "DELETE", "/notes/" + id, null, null), 404, null);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/direct", "/proxy"})
    void unknownNote_is404OnGetUpdateAndDelete(String strategy) {
        Answer missing = send(strategy, "GET", "/notes/" + ABSENT_ID, null, null);
        assertProblem(missing, 404, null);
        assertTrue(missing.json().get("detail").asText().contains(ABSENT_ID), "the problem names the note");
        assertProblem(send(strategy, "PUT", "/notes/" + ABSENT_ID, JSON, "{\"title\":\"x\"}"), 404, null);
        assertProblem(send(strategy, "DELETE", "/notes/" + ABSENT_ID, null, null), 404, null);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/direct", "/proxy"})
    void invalidId_is400NamingTheIdField_onEveryRouteWithAnId(String strategy) {
        assertProblem(send(strategy, "GET", "/notes/not-a-note-id", null, null), 400, "id");
        assertProblem(send(strategy, "PUT", "/notes/not-a-note-id", JSON, "{\"title\":\"x\"}"), 400, "id");
        assertProblem(send(strategy, "DELETE", "/notes/not-a-note-id", null, null), 400, "id");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/direct", "/proxy"})
    void invalidBodies_are400NamingTheField(String strategy) {
        assertProblem(send(strategy, "POST", "/notes", JSON, "{\"title\": \"unterminated"), 400, "body");
        assertProblem(send(strategy, "POST", "/notes", JSON, "[\"not\", \"an\", \"object\"]"), 400, "body");
        assertProblem(send(strategy, "POST", "/notes", JSON, "{\"description\":\"no title\"}"), 400, "title");
        assertProblem(send(strategy, "POST", "/notes", JSON, "{\"title\":\"x\",\"owner\":\"me\"}"), 400, "owner");
        assertProblem(send(strategy, "POST", "/notes", JSON, "{\"title\":42}"), 400, "title");
        String id = create(strategy, "Unchanged").get("id").asText();
        assertProblem(send(strategy, "PUT", "/notes/" + id, JSON, "{}"), 400, "body");
        assertProblem(send(strategy, "PUT", "/notes/" + id, JSON, "{not json}"), 400, "body");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/direct", "/proxy"})
    void invalidPaging_is400NamingTheParameter(String strategy) {
        assertProblem(send(strategy, "GET", "/notes?limit=0", null, null), 400, "limit");
        assertProblem(send(strategy, "GET", "/notes?limit=many", null, null), 400, "limit");
        assertProblem(send(strategy, "GET", "/notes?cursor=not-a-cursor", null, null), 400, "cursor");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/direct", "/proxy"})
    void wrongContentType_is415NamingContentType(String strategy) {
        assertProblem(send(strategy, "POST", "/notes", "text/plain", "{\"title\":\"x\"}"), 415, "Content-Type");
        assertProblem(send(strategy, "POST", "/notes", null, "{\"title\":\"x\"}"), 415, "Content-Type");
        String id = create(strategy, "Unchanged").get("id").asText();
        assertProblem(send(strategy, "PUT", "/notes/" + id, "application/xml", "<title>x</title>"), 415, "Content-Type");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/direct", "/proxy"})
    void oversizedBody_is413NamingTheBody_andStoresNothing(String strategy) {
        String description = "x".repeat(MAX_BODY_BYTES);
        String body = "{\"title\":\"too big\",\"description\":\"" + description + "\"}";

        assertProblem(send(strategy, "POST", "/notes", JSON, body), 413, "body");
        String id = create(strategy, "Unchanged").get("id").asText();
        assertProblem(send(strategy, "PUT", "/notes/" + id, JSON, body), 413, "body");
        assertEquals("Unchanged", send(strategy, "GET", "/notes/" + id, null, null).json().get("title").asText());
    }

    @ParameterizedTest
    @CsvSource({"/direct, /proxy", "/proxy, /direct"})
    void notesWrittenThroughOneStrategy_areReadUpdatedAndDeletedThroughTheOther(String writer, String reader) {
        JsonNode note = create(writer, "Shared by " + writer);
        String id = note.get("id").asText();

        assertEquals(note, send(reader, "GET", "/notes/" + id, null, null).json());
        Answer updated = send(reader, "PUT", "/notes/" + id, JSON, "{\"title\":\"Changed by " + reader + "\"}");
        assertEquals(200, updated.status(), updated::toString);
        assertEquals("Changed by " + reader, send(writer, "GET", "/notes/" + id, null, null).json().get("title").asText());
        assertEquals(204, send(reader, "DELETE", "/notes/" + id, null, null).status());
        assertProblem(send(writer, "GET", "/notes/" + id, null, null), 404, null);
    }

    private static JsonNode create(String strategy, String title) {
        Answer created = send(strategy, "POST", "/notes", JSON, "{\"title\":\"" + title + "\",\"description\":\"\"}");
        assertEquals(201, created.status(), created::toString);
        return created.json();
    }

    /** Checks a problem document: its status, content type, and the field it names ({@code null}: no field). */
    private static void assertProblem(Answer answer, int status, String field) {
        assertEquals(status, answer.status(), answer::toString);
        assertEquals(PROBLEM_JSON, answer.contentType(), answer::toString);
        JsonNode problem = answer.json();
        assertEquals(status, problem.get("status").asInt(), answer::toString);
        assertFalse(problem.get("title").asText().isBlank(), answer::toString);
        if (field == null) {
            assertFalse(problem.has("field"), answer::toString);
        } else {
            assertEquals(field, problem.get("field").asText(), answer::toString);
            assertTrue(problem.get("detail").asText().startsWith(field + ": "), answer::toString);
        }
        assertNotEquals(500, answer.status());
    }

    /** Sends one request; {@code headers} are extra header names and values, in pairs. */
    private static Answer send(String strategy, String method, String path, String contentType, String body,
                               String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(stack.baseUrl() + strategy + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        for (int at = 0; at + 1 < headers.length; at += 2) {
            request.header(headers[at], headers[at + 1]);
        }
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(method + " " + strategy + path, response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** One HTTP exchange, printed with its request line when an assertion fails. */
    private record Answer(String request, HttpResponse<String> response) {

        int status() {
            return response.statusCode();
        }

        String body() {
            return response.body();
        }

        String header(String name) {
            return response.headers().firstValue(name).orElse(null);
        }

        String contentType() {
            return header("Content-Type");
        }

        JsonNode json() {
            try {
                return MAPPER.readTree(response.body());
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + this, e);
            }
        }

        @Override
        public String toString() {
            return request + " -> " + response.statusCode() + " " + response.headers().map() + " " + response.body();
        }
    }
}
