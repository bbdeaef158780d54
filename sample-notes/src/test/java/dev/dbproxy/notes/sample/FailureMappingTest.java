package dev.dbproxy.notes.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dbproxy.notes.core.domain.Note;
import dev.dbproxy.notes.core.domain.NoteId;
import dev.dbproxy.notes.core.error.PermanentFailureException;
import dev.dbproxy.notes.core.error.TransientFailureException;
import dev.dbproxy.notes.core.error.TransientFailureException.Reason;
import dev.dbproxy.notes.core.port.NoteRepository;
import dev.dbproxy.notes.testkit.DelegatingNoteRepository;
import dev.dbproxy.notes.testkit.InMemoryNoteRepository;
import java.net.SocketTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * How failures of the repository reach the HTTP caller (429/503 with Retry-After, 500 without internals) and the log
 * (a 5xx with its cause chain, credentials hidden).
 */
class FailureMappingTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void throttled_is429WithRetryAfter() {
        APIGatewayV2HTTPResponse response = getWith(new TransientFailureException(
                Reason.THROTTLED, "proxy throttled", Duration.ofMillis(1500), null));

        assertEquals(429, response.getStatusCode());
        assertEquals("2", response.getHeaders().get("Retry-After"));
    }

    @Test
    void unavailableOrTimedOut_is503WithRetryAfter() {
        for (Reason reason : new Reason[] {Reason.UNAVAILABLE, Reason.TIMEOUT}) {
            APIGatewayV2HTTPResponse response = getWith(
                    new TransientFailureException(reason, "database unavailable", Duration.ofSeconds(1), null));

            assertEquals(503, response.getStatusCode());
            assertEquals("1", response.getHeaders().get("Retry-After"));
        }
    }

    @Test
    void anythingElse_is500WithTheRequestIdAndNoInternals() throws Exception {
        RecordingContext context = new RecordingContext();
        APIGatewayV2HTTPResponse response = getWith(
                new PermanentFailureException("database error 11600 on db.internal:27017"), context);
        APIGatewayV2HTTPResponse unexpected = getWith(new IllegalStateException("secret internals"), context);

        JsonNode body = JSON.readTree(response.getBody());
        assertEquals(500, response.getStatusCode());
        assertEquals(context.getAwsRequestId(), body.get("requestId").asText());
        assertFalse(response.getBody().contains("db.internal"), response.getBody());
        assertEquals(500, unexpected.getStatusCode());
        assertFalse(unexpected.getBody().contains("secret"), unexpected.getBody());
    }

    /**
     * The caller sees only the request id of a 500; the log line under that id says what failed, cause by cause, so
     * that support can diagnose it, and shows no credential that a driver quoted in its message.
     */
    @Test
    void a500_logsTheRequestIdAndTheCauseChain_withoutTheConnectionStringsPassword() throws Exception {
        RecordingContext context = new RecordingContext();
        String password = "Pa55w0rdNeverLogged";
        RuntimeException driverError = new IllegalStateException("Exception authenticating to mongodb+srv://app:"
                + password + "@cluster0.example.net/notes?retryWrites=true", new SocketTimeoutException(
                        "Read timed out; uri=mongodb://app:" + password + "@10.0.0.12:27017 password=" + password));

        APIGatewayV2HTTPResponse response = getWith(
                new PermanentFailureException("the notes database refused the call", driverError), context);

        assertEquals(500, response.getStatusCode());
        assertEquals(1, context.logLines.size());
        String logged = context.logLines.getFirst();
        assertFalse(logged.contains(password), logged);
        assertFalse(response.getBody().contains("cluster0"), response.getBody());
        JsonNode line = JSON.readTree(logged);
        assertEquals("ERROR", line.get("level").asText());
        assertEquals(context.getAwsRequestId(), line.get("requestId").asText());
        assertEquals(JSON.readTree(response.getBody()).get("requestId").asText(), line.get("requestId").asText());
        assertEquals("PermanentFailureException", line.get("errorType").asText());
        JsonNode causes = line.get("causes");
        assertEquals(3, causes.size(), logged);
        assertEquals("dev.dbproxy.notes.core.error.PermanentFailureException", causes.get(0).get("type").asText());
        assertEquals("the notes database refused the call", causes.get(0).get("message").asText());
        assertEquals("java.lang.IllegalStateException", causes.get(1).get("type").asText());
        assertEquals("Exception authenticating to mongodb+srv://<hidden>", causes.get(1).get("message").asText());
        assertEquals("java.net.SocketTimeoutException", causes.get(2).get("type").asText());
        assertEquals("Read timed out; uri=mongodb://<hidden> password=<hidden>",
                causes.get(2).get("message").asText());
    }

    @Test
    void aClientError_logsItsTypeAtInfo_withoutACauseChain() throws Exception {
        RecordingContext context = new RecordingContext();

        APIGatewayV2HTTPResponse response = new GetNoteHandler(new NotesFunctionConfiguration(
                new InMemoryNoteRepository(), "x"), Clock.systemUTC())
                .handleRequest(ApiGatewayEvents.load("get-note", Map.of("id", NoteId.generate().value())), context);

        JsonNode line = JSON.readTree(context.logLines.getFirst());
        assertEquals(404, response.getStatusCode());
        assertEquals("INFO", line.get("level").asText());
        assertEquals("GET /notes/{id} answered 404", line.get("message").asText());
        assertEquals("NoteNotFoundException", line.get("errorType").asText());
        assertFalse(line.has("causes"), line::toString);
    }

    private static APIGatewayV2HTTPResponse getWith(RuntimeException failure) {
        return getWith(failure, new RecordingContext());
    }

    private static APIGatewayV2HTTPResponse getWith(RuntimeException failure, RecordingContext context) {
        NotesFunctionConfiguration configuration = new NotesFunctionConfiguration(failingWith(failure), "x");
        return new GetNoteHandler(configuration, Clock.systemUTC()).handleRequest(
                ApiGatewayEvents.load("get-note", Map.of("id", NoteId.generate().value())), context);
    }

    /** A repository whose reads by id fail with the given error, as a broken store would. */
    private static NoteRepository failingWith(RuntimeException failure) {
        return new DelegatingNoteRepository(new InMemoryNoteRepository()) {
            @Override
            public Mono<Note> findById(NoteId id) {
                return Mono.error(failure);
            }
        };
    }
}
