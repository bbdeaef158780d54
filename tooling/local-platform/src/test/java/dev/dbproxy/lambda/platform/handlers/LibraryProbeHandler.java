package dev.dbproxy.lambda.platform.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.dbproxy.lambda.environment.FunctionEnvironment;
import dev.dbproxy.lambda.platform.handlers.library.CountingResource;
import java.util.Map;

/**
 * Reports which class loader defined its own class and a library class, and the variable {@code GREETING} it was
 * started with; holds a library resource that environment teardown should close.
 */
public class LibraryProbeHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {

    private final CountingResource resource = new CountingResource();
    private final String greeting = FunctionEnvironment.variables().getOrDefault("GREETING", "");

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> input, Context context) {
        sleep(input);
        return Map.of(
                "handlerClass", System.identityHashCode(getClass()),
                "libraryClass", System.identityHashCode(resource.getClass()),
                "greeting", greeting);
    }

    private static void sleep(Map<String, Object> input) {
        if (input != null && input.get("sleepMillis") instanceof Number millis) {
            try {
                Thread.sleep(millis.longValue());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }
}
