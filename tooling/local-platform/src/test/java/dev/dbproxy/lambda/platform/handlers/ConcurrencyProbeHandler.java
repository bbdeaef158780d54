package dev.dbproxy.lambda.platform.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.dbproxy.lambda.environment.FunctionEnvironment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Reports which handler object and thread ran it and how many invocations ran at once in its environment; holds for
 * {@code holdMillis} when asked. When its environment shuts down gracefully it writes {@code closed-<instanceId>} into
 * the folder {@code MARKER_DIR} names: from {@link #close()} in-process, from a shutdown hook (SIGTERM) in its own JVM.
 */
public class ConcurrencyProbeHandler implements RequestHandler<Map<String, Object>, Map<String, Object>>, AutoCloseable {

    private static final AtomicInteger RUNNING = new AtomicInteger();

    private final String instanceId = UUID.randomUUID().toString();
    private final String markerDirectory = FunctionEnvironment.variables().getOrDefault("MARKER_DIR", "");

    public ConcurrencyProbeHandler() {
        if (System.getenv("AWS_LAMBDA_RUNTIME_API") != null) {
            Runtime.getRuntime().addShutdownHook(new Thread(this::close, "probe-shutdown"));
        }
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> input, Context context) {
        int runningNow = RUNNING.incrementAndGet();
        try {
            Object hold = input == null ? null : input.get("holdMillis");
            if (hold != null) {
                Thread.sleep(Long.parseLong(String.valueOf(hold)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } finally {
            RUNNING.decrementAndGet();
        }
        Map<String, Object> output = new LinkedHashMap<>();
        output.put("instanceId", instanceId);
        output.put("thread", Thread.currentThread().getName());
        output.put("runningAtStart", runningNow);
        output.put("requestId", context.getAwsRequestId());
        output.put("maxConcurrency", FunctionEnvironment.variables().getOrDefault("AWS_LAMBDA_MAX_CONCURRENCY", ""));
        output.put("functionVersion", context.getFunctionVersion());
        return output;
    }

    @Override
    public void close() {
        if (markerDirectory.isEmpty()) {
            return;
        }
        try {
            Files.writeString(Path.of(markerDirectory, "closed-" + instanceId), "closed");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
