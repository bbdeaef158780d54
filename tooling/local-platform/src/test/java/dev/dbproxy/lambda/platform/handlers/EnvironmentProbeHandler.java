package dev.dbproxy.lambda.platform.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.dbproxy.lambda.environment.FunctionEnvironment;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Reports which environment ran it: an id fixed at construction, a static counter (shared only within one class
 * loader), the context's values and the function's variables. Sleeps for {@code sleepMillis} (in the payload or, behind the HTTP API, in the query) when asked.
 */
public class EnvironmentProbeHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {

    private static final AtomicInteger STATIC_INVOCATIONS = new AtomicInteger();
    private static final String LOADED_AT = UUID.randomUUID().toString();

    private final String environmentId = UUID.randomUUID().toString();
    private final String variableAtInit = FunctionEnvironment.variables().getOrDefault("GREETING", "");

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> input, Context context) {
        int count = STATIC_INVOCATIONS.incrementAndGet();
        context.getLogger().log("probe invoked " + count + " times in " + environmentId);
        Object sleep = input == null ? null : input.get("sleepMillis");
        if (sleep == null && input != null && input.get("queryStringParameters") instanceof Map<?, ?> query) {
            sleep = query.get("sleepMillis");
        }
        if (sleep != null) {
            try {
                Thread.sleep(Long.parseLong(String.valueOf(sleep)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
        Map<String, Object> output = new LinkedHashMap<>();
        output.put("environmentId", environmentId);
        output.put("classLoadedAt", LOADED_AT);
        output.put("staticInvocations", count);
        output.put("requestId", context.getAwsRequestId());
        output.put("functionName", context.getFunctionName());
        output.put("memoryLimitInMB", context.getMemoryLimitInMB());
        output.put("remainingTimeInMillis", context.getRemainingTimeInMillis());
        output.put("invokedFunctionArn", context.getInvokedFunctionArn());
        output.put("greeting", variableAtInit);
        output.put("variables", FunctionEnvironment.variables());
        output.put("clientContextCustom", context.getClientContext() == null ? Map.of() : context.getClientContext().getCustom());
        output.put("contextClassLoaderIsOwn", Thread.currentThread().getContextClassLoader() == getClass().getClassLoader());
        return output;
    }
}
