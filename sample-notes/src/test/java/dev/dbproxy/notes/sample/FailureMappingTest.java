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
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/** How failures of the repository reach the HTTP caller: 429/503 with Retry-After, 500 without internals. */
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
        assertFalse(context.logLines.get(1).contains("secret"), context.logLines.get(1));
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
