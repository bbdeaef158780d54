package dev.dbproxy.proxy.handler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dbproxy.localmongodb.EmbeddedMongoDb;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Sends every example request of {@code proxy-protocol/PROTOCOL.md}, in document order and byte for byte as written
 * there, to the Invoke API of the local Lambda platform with a plain HTTP client (no AWS SDK, no Java adapter: what a
 * Node.js or Python caller sends), and checks that the proxy, on the embedded server, answers exactly the documented
 * response. Only the metadata's values are left out of the comparison: they vary by run.
 */
class ProtocolDocumentExamplesIT {

    private static final Path DOCUMENT = Path.of("..", "proxy-protocol", "PROTOCOL.md");
    private static final Pattern EXAMPLE = Pattern.compile(
            "<!-- example:([\\w-]+):(request|response) -->\\s*```json\\n(.*?)```", Pattern.DOTALL);

    @Test
    void everyDocumentedRequest_sentAsRawJsonThroughTheInvokeApi_getsTheDocumentedResponse() throws IOException {
        Map<String, String> requests = new LinkedHashMap<>();
        Map<String, String> responses = new LinkedHashMap<>();
        Matcher matcher = EXAMPLE.matcher(Files.readString(DOCUMENT));
        while (matcher.find()) {
            (matcher.group(2).equals("request") ? requests : responses).put(matcher.group(1), matcher.group(3));
        }
        assertTrue(requests.size() >= 7, () -> "examples found: " + requests.keySet());
        assertEquals(requests.keySet(), responses.keySet(), "every example request has its response");

        try (EmbeddedMongoDb mongoDb = EmbeddedMongoDb.start();
             PlatformProxy proxy = PlatformProxy.start(HandlerInvoker.environment(mongoDb.connectionString()))) {
            for (Map.Entry<String, String> example : requests.entrySet()) {
                JsonNode documented = HandlerInvoker.json(responses.get(example.getKey()));
                JsonNode actual = HandlerInvoker.answered(
                        proxy.invokeOverHttp(example.getValue().getBytes(StandardCharsets.UTF_8)),
                        documented.path("version").asInt());

                assertEquals(HandlerInvoker.withoutVaryingMetadata(documented),
                        HandlerInvoker.withoutVaryingMetadata(actual),
                        () -> "example " + example.getKey() + " answered " + actual.toPrettyString());
            }
        }
    }
}
