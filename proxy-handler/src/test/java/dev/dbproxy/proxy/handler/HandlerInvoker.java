package dev.dbproxy.proxy.handler;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dbproxy.proxy.protocol.ProxyJsonCodec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Calls a handler the way the Lambda runtime does (bytes in, bytes out, a context) with hand-written protocol JSON,
 * as a Node.js or Python caller would, and checks that every response, from the handler or through the Invoke API,
 * also reads with the Java codec.
 */
final class HandlerInvoker {

    static final ProxyJsonCodec CODEC = ProxyJsonCodec.create();
    static final String DATABASE = "app";
    private static final Map<String, Predicate<JsonNode>> VARYING_METADATA = Map.of(
            "coldStart", JsonNode::isBoolean,
            "environmentId", value -> value.isTextual() && !value.asText().isEmpty(),
            "serverTimeMs", value -> value.isIntegralNumber() && value.asLong() >= 0);

    private HandlerInvoker() {
    }

    /** The environment of a proxy allowed every action on collections notes and archive of database app. */
    static Map<String, String> environment(String mongoDbUri) {
        Map<String, String> env = new HashMap<>();
        env.put(DbProxySettings.MONGODB_URI, mongoDbUri);
        env.put(DbProxySettings.MONGODB_SERVER_SELECTION_TIMEOUT_MS, "1000");
        env.put(DbProxySettings.PROXY_ALLOWED_DATABASE, DATABASE);
        env.put(DbProxySettings.PROXY_ALLOWED_COLLECTIONS, "notes,archive");
        env.put(DbProxySettings.PROXY_ALLOWED_ACTIONS, "find,findOne,countDocuments,insertOne,insertMany,updateOne,"
                + "updateMany,replaceOne,deleteOne,deleteMany,aggregate");
        return env;
    }

    /** A request around these operations (a JSON array's content), ordered, deadline in 10 s. */
    static String request(String operations) {
        return request(true, "canonical", 10_000, operations);
    }

    static String request(boolean ordered, String mode, long deadlineInMillis, String operations) {
        return """
                {"version": 1, "requestId": "test-%d", "deadlineEpochMillis": %d, "ordered": %s,
                 "extendedJsonMode": "%s", "operations": [%s]}"""
                .formatted(System.nanoTime(), System.currentTimeMillis() + deadlineInMillis, ordered, mode, operations);
    }

    /**
     * A version 2 request from sender {@code sender} around these operations (each carrying its own caller's
     * {@code requestId} and {@code deadlineEpochMillis}), unordered, the envelope's deadline {@code deadlineInMillis}
     * from now.
     */
    static String version2Request(String sender, long deadlineInMillis, String operations) {
        return """
                {"version": 2, "requestId": "%s", "deadlineEpochMillis": %d, "ordered": false,
                 "operations": [%s]}""".formatted(sender, System.currentTimeMillis() + deadlineInMillis, operations);
    }

    /** One operation on collection notes of database app, of the caller {@code callerRequestId}. */
    static String callerOp(String callerRequestId, long deadlineInMillis, String action, String fields) {
        return "{\"requestId\": \"" + callerRequestId + "\", \"deadlineEpochMillis\": "
                + (System.currentTimeMillis() + deadlineInMillis) + ", " + op(action, fields).substring(1);
    }

    /** One operation on collection notes of database app: {@code "action", <fields>}. */
    static String op(String action, String fields) {
        return opOn("notes", action, fields);
    }

    /** One operation on a collection of database app: {@code "action", <fields>}. */
    static String opOn(String collection, String action, String fields) {
        return "{\"action\": \"" + action + "\", \"database\": \"app\", \"collection\": \"" + collection
                + "\"" + (fields.isEmpty() ? "" : ", " + fields) + "}";
    }

    static JsonNode invoke(DbProxyHandler handler, String json) {
        return invoke(handler, json.getBytes(StandardCharsets.UTF_8), TestContext.withRemaining(Duration.ofSeconds(30)));
    }

    static JsonNode invoke(DbProxyHandler handler, byte[] body, TestContext context) {
        return invoke(handler, body, context, 1);
    }

    /** As {@link #invoke(DbProxyHandler, String)}, expecting a response of protocol {@code version}. */
    static JsonNode invoke(DbProxyHandler handler, String json, int version) {
        return invoke(handler, json.getBytes(StandardCharsets.UTF_8),
                TestContext.withRemaining(Duration.ofSeconds(30)), version);
    }

    private static JsonNode invoke(DbProxyHandler handler, byte[] body, TestContext context, int version) {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        try {
            handler.handleRequest(new ByteArrayInputStream(body), output, context);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return readResponse(output.toByteArray(), version);
    }

    /**
     * The response payload of an invocation through the Invoke API, after checking that the invocation succeeded
     * (200, no function error, JSON) and that the payload is a protocol response.
     */
    static JsonNode answered(HttpResponse<byte[]> invoked) {
        return answered(invoked, 1);
    }

    /** As {@link #answered(HttpResponse)}, for a response of protocol {@code version}. */
    static JsonNode answered(HttpResponse<byte[]> invoked, int version) {
        String body = new String(invoked.body(), StandardCharsets.UTF_8);
        assertEquals(200, invoked.statusCode(), () -> "the Invoke API answered " + body);
        assertEquals(Optional.empty(), invoked.headers().firstValue("X-Amz-Function-Error"),
                () -> "the proxy crashed: " + body);
        assertEquals(Optional.of("application/json"), invoked.headers().firstValue("Content-Type"));
        return readResponse(invoked.body(), version);
    }

    private static JsonNode readResponse(byte[] response, int version) {
        JsonNode tree = CODEC.readTree(new String(response, StandardCharsets.UTF_8));
        assertEquals(version, tree.path("version").asInt(), "every response carries the request's protocol version");
        CODEC.readResponse(response);
        return tree;
    }

    /** The result object of operation {@code index}, after checking that it succeeded. */
    static JsonNode result(JsonNode response, int index) {
        JsonNode outcome = response.path("results").path(index);
        assertEquals("ok", outcome.path("status").asText(), () -> "operation " + index + ": " + response);
        return outcome.path("result");
    }

    /** The error object of operation {@code index}, after checking that it failed. */
    static JsonNode error(JsonNode response, int index) {
        JsonNode outcome = response.path("results").path(index);
        assertEquals("error", outcome.path("status").asText(), () -> "operation " + index + ": " + response);
        return outcome.path("error");
    }

    /** The error of a rejected request. */
    static JsonNode rejection(JsonNode response) {
        JsonNode error = response.path("error");
        assertEquals(true, error.isObject(), () -> "expected a rejected request: " + response);
        assertEquals(true, response.path("results").isMissingNode(), () -> "a rejection has no results: " + response);
        return error;
    }

    /**
     * The response with each metadata value that has its documented kind (a boolean {@code coldStart}, a non-empty
     * {@code environmentId}, a non-negative integer {@code serverTimeMs}) replaced by {@code "<varies>"}: two
     * responses compare equal when only those values differ, and a missing, extra or mistyped field still shows.
     */
    static JsonNode withoutVaryingMetadata(JsonNode response) {
        ObjectNode copy = response.deepCopy();
        if (copy.get("metadata") instanceof ObjectNode metadata) {
            VARYING_METADATA.forEach((field, wellFormed) -> {
                if (metadata.has(field) && wellFormed.test(metadata.get(field))) {
                    metadata.put(field, "<varies>");
                }
            });
        }
        return copy;
    }

    static JsonNode json(String text) {
        return CODEC.readTree(text);
    }
}
