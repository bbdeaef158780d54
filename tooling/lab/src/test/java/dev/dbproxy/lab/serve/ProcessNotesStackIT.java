package dev.dbproxy.lab.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dbproxy.lambda.platform.EnvironmentKind;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code serve --environments process}: the template's functions as processes running their own deployment jars
 * (built by {@code mvn package} before the integration tests), behind the same gateway: a note created through the
 * direct strategy is read back through the proxy strategy, and closing the stack leaves no process behind.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ProcessNotesStackIT {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void noteCreatedDirectly_isReadThroughTheProxy_andNoProcessOutlivesTheStack() throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        try (LocalNotesStack stack = LocalNotesStack.builder().environments(EnvironmentKind.PROCESS).start()) {
            HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(stack.baseUrl() + "/direct/notes"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"title\":\"From a process\"}"))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(201, created.statusCode(), created::body);
            String id = MAPPER.readTree(created.body()).get("id").asText();

            HttpResponse<String> read = http.send(HttpRequest.newBuilder(URI.create(stack.baseUrl() + "/proxy/notes/" + id))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());

            assertEquals(200, read.statusCode(), read::body);
            JsonNode note = MAPPER.readTree(read.body());
            assertEquals("From a process", note.get("title").asText());
            assertTrue(ProcessHandle.current().descendants()
                    .anyMatch(child -> child.info().commandLine().orElse("").contains("AWSLambda")));
        }
        assertEquals(0, ProcessHandle.current().descendants()
                .filter(child -> child.isAlive() && child.info().commandLine().orElse("").contains("AWSLambda")).count(),
                "closing the stack ends every environment process");
    }
}
