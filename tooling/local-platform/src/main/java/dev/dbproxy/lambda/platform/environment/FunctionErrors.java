package dev.dbproxy.lambda.platform.environment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Function error payloads as the Lambda Java runtime writes them:
 * {@code {"errorMessage","errorType","stackTrace":["pkg.Class.method(File.java:12)",...],"cause":{...}}}.
 */
public final class FunctionErrors {

    private static final ObjectMapper JSON = new ObjectMapper();

    private FunctionErrors() {
    }

    /** The payload for an exception thrown by a handler. */
    public static byte[] fromThrowable(Throwable error) {
        return toBytes(describe(error, new IdentityHashMap<>()));
    }

    /** A payload with the given message and type and no stack trace (timeouts, oversized responses). */
    public static byte[] of(String errorMessage, String errorType) {
        ObjectNode node = JSON.createObjectNode();
        node.put("errorMessage", errorMessage);
        node.put("errorType", errorType);
        return toBytes(node);
    }

    private static ObjectNode describe(Throwable error, Map<Throwable, Boolean> seen) {
        seen.put(error, Boolean.TRUE);
        ObjectNode node = JSON.createObjectNode();
        if (error.getMessage() != null) {
            node.put("errorMessage", error.getMessage());
        }
        node.put("errorType", error.getClass().getName());
        ArrayNode stackTrace = node.putArray("stackTrace");
        for (StackTraceElement element : error.getStackTrace()) {
            stackTrace.add(element.toString());
        }
        Throwable cause = error.getCause();
        if (cause != null && !seen.containsKey(cause)) {
            node.set("cause", describe(cause, seen));
        }
        return node;
    }

    private static byte[] toBytes(ObjectNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            return ("{\"errorMessage\":\"unserializable error\",\"errorType\":\"" + e.getClass().getName() + "\"}")
                    .getBytes(StandardCharsets.UTF_8);
        }
    }
}
