package dev.dbproxy.reliability;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.reactivestreams.client.MongoCollection;
import dev.dbproxy.lab.serve.LocalNotesStack;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import reactor.core.publisher.Flux;

/**
 * The HTTP half of the hostile-input corpus: NoSQL injection attempts and malformed requests sent to the
 * {@code /direct} and {@code /proxy} routes through the local API gateway. Each is answered 4xx with an RFC 9457
 * problem body (never 500), and the stored notes are the same afterwards.
 */
class HostileHttpInputIT {

    private static final String JSON = "application/json";
    private static NotesStackFixture fixture;
    private static String existingId;

    @BeforeAll
    static void start() {
        fixture = NotesStackFixture.start(LocalNotesStack.builder());
        for (String strategy : List.of("direct", "proxy")) {
            NotesApi api = strategy.equals("direct") ? fixture.direct() : fixture.proxy();
            await(strategy + " answering").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                    .until(() -> api.list().status() == 200);
            NotesApi.ApiResponse created = api.create("kept by " + strategy, "must not change");
            assertEquals(201, created.status(), created.body());
            existingId = created.json().path("id").asText();
        }
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    /** (what, method, path below /notes, body or null, content type or null). */
    static Stream<Arguments> attempts() {
        List<Object[]> attempts = new ArrayList<>();
        attempts.add(new Object[] {"operator object as the title", "POST", "", "{\"title\": {\"$ne\": null}, \"description\": \"x\"}", JSON});
        attempts.add(new Object[] {"$where as the description", "POST", "", "{\"title\": \"t\", \"description\": {\"$where\": \"sleep(5000)\"}}", JSON});
        attempts.add(new Object[] {"operator object in an update", "PUT", "/" + existingIdPlaceholder(), "{\"description\": {\"$set\": {\"title\": \"x\"}}}", JSON});
        attempts.add(new Object[] {"an _id in the body", "POST", "", "{\"_id\": {\"$gt\": \"\"}, \"title\": \"t\"}", JSON});
        attempts.add(new Object[] {"an unknown field", "POST", "", "{\"title\": \"t\", \"owner\": \"admin\"}", JSON});
        attempts.add(new Object[] {"a top-level array", "POST", "", "[{\"title\": \"t\"}]", JSON});
        attempts.add(new Object[] {"{\"$gt\":\"\"} as the id of GET", "GET", "/%7B%22%24gt%22%3A%22%22%7D", null, null});
        attempts.add(new Object[] {"{\"$ne\":null} as the id of DELETE", "DELETE", "/%7B%22%24ne%22%3Anull%7D", null, null});
        attempts.add(new Object[] {"{\"$gt\":\"\"} as the id of PUT", "PUT", "/%7B%22%24gt%22%3A%22%22%7D", "{\"description\": \"x\"}", JSON});
        attempts.add(new Object[] {"$where as the id", "DELETE", "/%24where", null, null});
        attempts.add(new Object[] {"regex as the id", "GET", "/.%2A", null, null});
        attempts.add(new Object[] {"limit out of range", "GET", "?limit=1e400", null, null});
        attempts.add(new Object[] {"negative limit", "GET", "?limit=-1", null, null});
        attempts.add(new Object[] {"operator as the cursor", "GET", "?cursor=%7B%22%24gt%22%3A%22%22%7D", null, null});
        attempts.add(new Object[] {"huge body (1 MiB)", "POST", "", "{\"title\": \"" + "a".repeat(1 << 20) + "\"}", JSON});
        attempts.add(new Object[] {"huge title (300 characters)", "POST", "", "{\"title\": \"" + "a".repeat(300) + "\"}", JSON});
        attempts.add(new Object[] {"deeply nested JSON (5000 levels)", "POST", "", "{\"title\": " + "[".repeat(5000) + "]".repeat(5000) + "}", JSON});
        attempts.add(new Object[] {"number out of range as the title", "POST", "", "{\"title\": 1e400, \"description\": \"x\"}", JSON});
        attempts.add(new Object[] {"huge integer as the description", "PUT", "/" + existingIdPlaceholder(), "{\"description\": 99999999999999999999999999}", JSON});
        attempts.add(new Object[] {"duplicate keys", "POST", "", "{\"title\": \"first\", \"title\": {\"$ne\": null}}", JSON});
        attempts.add(new Object[] {"duplicate plain keys", "POST", "", "{\"title\": \"first\", \"title\": \"second\"}", JSON});
        attempts.add(new Object[] {"not JSON at all", "POST", "", "title=x&description=y", JSON});
        attempts.add(new Object[] {"form content type", "POST", "", "title=x", "application/x-www-form-urlencoded"});
        attempts.add(new Object[] {"an escaped unpaired surrogate as the title", "POST", "", "{\"title\": \"a\\ud800\"}", JSON});
        attempts.add(new Object[] {"a control character in the description", "PUT", "/" + existingIdPlaceholder(), "{\"description\": \"bell\\u0007\"}", JSON});
        attempts.add(new Object[] {"JSON followed by more", "POST", "", "{\"title\": \"t\"} {\"title\": \"u\"}", JSON});
        attempts.add(new Object[] {"a JSONP content type", "POST", "", "{\"title\": \"t\"}", "application/jsonp"});
        return Stream.of("direct", "proxy").flatMap(strategy -> attempts.stream()
                .map(attempt -> Arguments.of(strategy, attempt[0], attempt[1], attempt[2], attempt[3], attempt[4])));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("attempts")
    void hostileRequest_isAnswered4xxWithAProblem_andChangesNoData(String strategy, String what, String method,
                                                                   String path, String body, String contentType) {
        NotesApi api = strategy.equals("direct") ? fixture.direct() : fixture.proxy();
        List<Document> before = snapshot();

        NotesApi.ApiResponse response = api.raw(method, path.replace(existingIdPlaceholder(), existingId),
                body == null ? null : body.getBytes(StandardCharsets.UTF_8), contentType);

        assertTrue(response.status() >= 400 && response.status() < 500, () -> what + ": " + response.status() + " " + response.body());
        assertTrue(response.isProblem(), () -> what + ": not a problem document: " + response.contentType() + " " + response.body());
        assertEquals(before, snapshot(), what + ": the data changed");
    }

    /**
     * A body that is not valid UTF-8 reaches the function with its exact bytes (the gateway passes it base64-encoded)
     * and is refused as 400 naming {@code body}: nothing stored, no replacement characters, no other note touched.
     */
    @ParameterizedTest(name = "{0}: invalid UTF-8 {1}")
    @MethodSource("invalidUtf8")
    void invalidUtf8Body_isRefusedAs400_andChangesNothing(String strategy, String what, byte[] bytes) {
        NotesApi api = strategy.equals("direct") ? fixture.direct() : fixture.proxy();
        List<Document> before = snapshot();
        byte[] prefix = "{\"title\": \"".getBytes(StandardCharsets.UTF_8);
        byte[] suffix = "\"}".getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[prefix.length + bytes.length + suffix.length];
        System.arraycopy(prefix, 0, body, 0, prefix.length);
        System.arraycopy(bytes, 0, body, prefix.length, bytes.length);
        System.arraycopy(suffix, 0, body, prefix.length + bytes.length, suffix.length);

        NotesApi.ApiResponse response = api.raw("POST", "", body, JSON);

        assertEquals(400, response.status(), () -> what + ": " + response.body());
        assertTrue(response.isProblem(), () -> what + ": not a problem document: " + response.body());
        assertEquals("body", response.json().path("field").asText(), () -> what + ": " + response.body());
        assertEquals(before, snapshot(), what + ": the data changed");
    }

    static Stream<Arguments> invalidUtf8() {
        return Stream.of("direct", "proxy").flatMap(strategy -> Stream.of(
                Arguments.of(strategy, "lone continuation byte", new byte[] {(byte) 0x80}),
                Arguments.of(strategy, "overlong NUL", new byte[] {(byte) 0xC0, (byte) 0x80}),
                Arguments.of(strategy, "bytes FF FE", new byte[] {(byte) 0xFF, (byte) 0xFE})));
    }

    private static String existingIdPlaceholder() {
        return "{existing}";
    }

    private static List<Document> snapshot() {
        MongoCollection<Document> notes = fixture.notesCollection();
        return Flux.from(notes.find().sort(new Document("_id", 1))).collectList().block(Duration.ofSeconds(30));
    }
}
