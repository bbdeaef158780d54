package dev.dbproxy.notes.sample.proxy;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dbproxy.lambda.environment.FunctionEnvironment;
import dev.dbproxy.proxy.handler.DbProxyHandler;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The real {@link DbProxyHandler}, which also appends one line per request it serves to the file
 * {@value #RECORDED_REQUESTS}: {@code requestId deadlineEpochMillis operations}, so that a test sees which invocation
 * each proxy request was made for and under which deadline. Environments have class loaders of their own, so a file,
 * appended to in one write per line, is what they share with the test.
 */
public class RecordingProxyHandler implements RequestStreamHandler, AutoCloseable {

    /** The variable naming the file the requests are recorded in. */
    public static final String RECORDED_REQUESTS = "RECORDED_REQUESTS";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DbProxyHandler proxy = new DbProxyHandler();
    private final Path recorded = Path.of(FunctionEnvironment.variables().get(RECORDED_REQUESTS));

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        byte[] request = input.readAllBytes();
        JsonNode json = JSON.readTree(request);
        Files.writeString(recorded, json.path("requestId").asText() + " " + json.path("deadlineEpochMillis").asLong()
                        + " " + json.path("operations").size() + "\n", StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        proxy.handleRequest(new ByteArrayInputStream(request), output, context);
    }

    /** Closes the proxy's client when the platform reclaims the environment. */
    @Override
    public void close() {
        proxy.close();
    }
}
