package dev.dbproxy.notes.adapter.lambdaproxy.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.dbproxy.lambda.environment.FunctionEnvironment;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A proxy function that takes {@code SLOW_PROXY_DELAY_MS} before answering {@code {}}: slower than its own timeout
 * or than the caller's invoke timeout, depending on the test.
 */
public class SlowProxyHandler implements RequestStreamHandler {

    /** The variable that sets the delay. */
    public static final String DELAY_MS = "SLOW_PROXY_DELAY_MS";

    private final Duration delay = Duration.ofMillis(Long.parseLong(FunctionEnvironment.variables().get(DELAY_MS)));

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        input.readAllBytes();
        try {
            Thread.sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        output.write("{}".getBytes(StandardCharsets.US_ASCII));
    }
}
