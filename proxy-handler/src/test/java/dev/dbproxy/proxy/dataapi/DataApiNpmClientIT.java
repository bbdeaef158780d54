package dev.dbproxy.proxy.dataapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A published Atlas Data API client, the npm package {@code mongodb-data-api} 0.4.0 (pinned with its
 * {@code package-lock.json} in {@code src/test/node/data-api-client}), used unchanged but for its {@code urlEndpoint}
 * and {@code apiKey}, runs every Data API action against the endpoint. The test installs it with {@code npm ci} and
 * needs {@code node} and {@code npm} on the path (and the npm registry, or npm's cache): without them it fails, saying
 * so, rather than being skipped.
 */
@Timeout(240)
class DataApiNpmClientIT {

    private static final Path SOURCE = Path.of("src/test/node/data-api-client");
    private static final Path WORK = Path.of("target/data-api-client");
    private static DataApiStack stack;

    @BeforeAll
    static void installClient() throws IOException, InterruptedException {
        Files.createDirectories(WORK);
        for (String file : List.of("package.json", "package-lock.json", "client.js")) {
            Files.copy(SOURCE.resolve(file), WORK.resolve(file), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        Result install = run(List.of("npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts"), Map.of(), 180);
        assertEquals(0, install.exitCode(), () -> "npm ci failed:\n" + install.output());
        stack = DataApiStack.start();
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void thePublishedClient_runsEveryAction_andReceivesTheDataApiShapes() throws IOException, InterruptedException {
        Result client = run(List.of("node", "client.js"), Map.of("DATA_API_URL", stack.baseUrl().toString(),
                "DATA_API_KEY", DataApiStack.FULL_KEY), 60);

        assertEquals(0, client.exitCode(), client::output);
        String lastLine = client.output().strip().lines().reduce((first, second) -> second).orElse("");
        JsonNode out = DataApiStack.json(lastLine);
        assertTrue(out.path("insertOne").path("insertedId").asText().matches("[0-9a-f]{24}"), lastLine);
        assertEquals(2, out.path("insertMany").path("insertedIds").size(), lastLine);
        assertEquals(DataApiStack.json("{\"document\": {\"text\": \"Do the dishes\"}}"), out.path("findOne"));
        assertEquals(DataApiStack.json("{\"documents\": [{\"text\": \"Do the dishes\"}, {\"text\": \"Mop the floor\"}]}"),
                out.path("find"));
        assertEquals(DataApiStack.json("{\"matchedCount\": 1, \"modifiedCount\": 1}"), out.path("updateOne"));
        assertEquals(DataApiStack.json("{\"matchedCount\": 2, \"modifiedCount\": 2}"), out.path("updateMany"));
        assertEquals(DataApiStack.json("{\"matchedCount\": 1, \"modifiedCount\": 1}"), out.path("replaceOne"));
        assertEquals(DataApiStack.json("{\"documents\": [{\"_id\": \"complete\", \"count\": 2}]}"),
                out.path("aggregate"));
        assertEquals(DataApiStack.json("{\"deletedCount\": 1}"), out.path("deleteOne"));
        assertEquals(DataApiStack.json("{\"deletedCount\": 2}"), out.path("deleteMany"));
        assertEquals(401, out.path("wrongKey").asInt(), lastLine);
        assertEquals(403, out.path("forbiddenOperator").asInt(), lastLine);
        assertEquals(0, stack.collection("tasks").countDocuments());
    }

    private record Result(int exitCode, String output) {
    }

    private static Result run(List<String> command, Map<String, String> env, int timeoutSeconds)
            throws IOException, InterruptedException {
        // To a file, not a pipe: a full pipe would stall the process while this thread waits for it to end.
        Path log = WORK.resolve(command.getFirst() + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(WORK.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(env);
        Process process;
        try {
            process = builder.start();
        } catch (IOException missing) {
            throw new AssertionError(command.getFirst() + " is not on the PATH: this test needs Node.js and npm"
                    + " (Debian: apt-get install nodejs npm)", missing);
        }
        process.getOutputStream().close();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(command + " did not finish within " + timeoutSeconds + " s");
        }
        return new Result(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }
}
