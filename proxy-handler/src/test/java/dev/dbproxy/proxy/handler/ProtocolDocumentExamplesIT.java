package dev.dbproxy.proxy.handler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dbproxy.localmongodb.EmbeddedMongoDb;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Runs every example request of {@code proxy-protocol/PROTOCOL.md}, in document order, against the handler and the
 * embedded server, and checks that the handler answers exactly the documented response (metadata values and error
 * message wording aside: they vary by run and by server).
 */
class ProtocolDocumentExamplesIT {

    private static final Path DOCUMENT = Path.of("..", "proxy-protocol", "PROTOCOL.md");
    private static final Pattern EXAMPLE = Pattern.compile(
            "<!-- example:([\\w-]+):(request|response) -->\\s*```json\\n(.*?)```", Pattern.DOTALL);

    @Test
    void everyDocumentedRequest_getsTheDocumentedResponse() throws IOException {
        Map<String, String> requests = new LinkedHashMap<>();
        Map<String, String> responses = new LinkedHashMap<>();
        Matcher matcher = EXAMPLE.matcher(Files.readString(DOCUMENT));
        while (matcher.find()) {
            (matcher.group(2).equals("request") ? requests : responses).put(matcher.group(1), matcher.group(3));
        }
        assertTrue(requests.size() >= 6, () -> "examples found: " + requests.keySet());
        assertEquals(requests.keySet(), responses.keySet(), "every example request has its response");

        try (EmbeddedMongoDb mongoDb = EmbeddedMongoDb.start();
             DbProxyHandler handler = new DbProxyHandler(
                     DbProxySettings.fromEnv(HandlerInvoker.environment(mongoDb.connectionString())))) {
            for (Map.Entry<String, String> example : requests.entrySet()) {
                JsonNode actual = HandlerInvoker.invoke(handler, example.getValue().getBytes(StandardCharsets.UTF_8),
                        TestContext.withRemaining(Duration.ofSeconds(30)));
                JsonNode documented = HandlerInvoker.json(responses.get(example.getKey()));

                assertEquals(comparable(documented), comparable(actual),
                        () -> "example " + example.getKey() + " answered " + actual.toPrettyString());
                assertTrue(actual.path("metadata").path("environmentId").isTextual());
                assertFalse(actual.path("metadata").path("serverTimeMs").isMissingNode());
            }
        }
    }

    /** The response without what varies: metadata values and error messages (kept only as present or not). */
    private static JsonNode comparable(JsonNode response) {
        ObjectNode copy = response.deepCopy();
        copy.remove("metadata");
        scrubMessages(copy);
        return copy;
    }

    private static void scrubMessages(JsonNode node) {
        if (node instanceof ObjectNode object) {
            if (object.has("code") && object.has("message")) {
                object.put("message", object.path("message").asText().isBlank() ? "" : "<message>");
            }
            object.forEach(ProtocolDocumentExamplesIT::scrubMessages);
        } else if (node.isArray()) {
            node.forEach(ProtocolDocumentExamplesIT::scrubMessages);
        }
    }
}
