package dev.dbproxy.proxy.dataapi;

import dev.dbproxy.lambda.environment.JsonLogLine;
import dev.dbproxy.lambda.environment.JsonLogLine.Level;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dbproxy.proxy.protocol.InvalidProxyMessageException;
import dev.dbproxy.proxy.protocol.OperationOutcome;
import dev.dbproxy.proxy.protocol.OperationResult;
import dev.dbproxy.proxy.protocol.ProxyAction;
import dev.dbproxy.proxy.protocol.ProxyError;
import dev.dbproxy.proxy.protocol.ProxyJsonCodec;
import dev.dbproxy.proxy.protocol.ProxyOperation;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.Set;
import java.util.stream.Collectors;
import org.bson.types.ObjectId;

/**
 * The Atlas Data API (v1) over an API Gateway HTTP API: {@code POST {base}/action/{action}} with the Data API's body,
 * headers and response shapes, answered by the DB proxy function itself (see {@code DATA-API.md}).
 *
 * <p>A request is checked in this order, and the first failure answers: the key ({@code api-key} or {@code apiKey}
 * header, or the API Gateway JWT authorizer's claims), 401; the method, 405; the action, 404; the
 * {@code Content-Type}, 400; the body's size, 413; its JSON, {@code dataSource} and the action's fields, 400; then
 * the operation runs under the key's policy on the proxy's own path, whose refusals and failures map to 400, 403,
 * 500 and 503. The key never reaches a log line or a response.
 */
public final class DataApiEndpoint {

    /** The actions of the Data API v1 ({@code countDocuments} is the protocol's own, not the Data API's). */
    private static final Set<ProxyAction> DATA_API_ACTIONS = EnumSet.complementOf(EnumSet.of(
            ProxyAction.COUNT_DOCUMENTS));
    private static final String ACTION_SEGMENT = "/action/";
    /** The record whose policy applies to callers that API Gateway's JWT authorizer let through. */
    public static final String JWT_KEY_NAME = "jwt";
    private static final int MAX_REQUEST_ID_LENGTH = 128;

    private final DataApiKeys keys;
    private final int maxRequestBytes;
    private final ProxyJsonCodec codec = ProxyJsonCodec.create();
    private final ObjectMapper mapper = JsonMapper.builder().build();

    /**
     * @param keys            the accepted keys and their policies
     * @param maxRequestBytes the largest body accepted (the proxy's {@code PROXY_MAX_REQUEST_BYTES}); larger is 413
     */
    public DataApiEndpoint(DataApiKeys keys, int maxRequestBytes) {
        this.keys = Objects.requireNonNull(keys, "keys");
        this.maxRequestBytes = maxRequestBytes;
    }

    /** The outcome of one HTTP request, before it is written as the function's response. */
    private record Answer(int status, DataApiFormat format, byte[] body, String generatedIds, String keyName,
                          String action) {
    }

    /**
     * Answers one HTTP API event with an HTTP API response (payload format 2.0): status, headers and a base64 body,
     * whose size is known exactly however the JSON escapes (4/3 of the body).
     *
     * @param event      the event's bytes (an API Gateway HTTP API payload, version 2.0)
     * @param operations runs the request's one operation on the proxy's path
     * @param log        where the request's log line goes, if any
     * @param everyRequest whether every request gets a log line ({@code PROXY_LOG_REQUESTS=all}) or only those
     *                   answered with an error
     */
    public byte[] respond(byte[] event, DataApiOperations operations, Consumer<JsonLogLine> log,
            boolean everyRequest) {
        long started = System.nanoTime();
        JsonNode tree;
        try {
            tree = codec.readTree(new String(event, StandardCharsets.UTF_8));
        } catch (InvalidProxyMessageException | NumberFormatException | ArithmeticException e) {
            return write("", error(DataApiError.INVALID_PARAMETER, "the HTTP API event is not valid JSON",
                    DataApiFormat.JSON, "", ""));
        }
        String requestId = requestId(tree);
        Answer answer;
        try {
            answer = answer(tree, requestId, operations);
        } catch (RuntimeException | StackOverflowError unexpected) {
            log.accept(JsonLogLine.of(Level.ERROR, "Data API request failed unexpectedly")
                    .string("requestId", requestId).causes(unexpected));
            answer = error(DataApiError.INTERNAL, "the endpoint failed unexpectedly; its log has the details under"
                    + " request id " + requestId, DataApiFormat.JSON, "", "");
        }
        if (everyRequest || answer.status() >= 400) {
            log.accept(JsonLogLine.of(answer.status() >= 500 ? Level.ERROR : answer.status() >= 400 ? Level.WARN
                            : Level.INFO, "Data API request")
                    .string("requestId", requestId).string("action", answer.action()).string("key", answer.keyName())
                    .number("status", answer.status())
                    .number("serverTimeMs", (System.nanoTime() - started) / 1_000_000));
        }
        return write(requestId, answer);
    }

    private Answer answer(JsonNode event, String requestId, DataApiOperations operations) {
        Map<String, String> headers = headers(event.path("headers"));
        DataApiFormat format = DataApiFormat.accepting(headers.getOrDefault("accept", ""));
        Optional<DataApiKey> key = authenticate(event, headers);
        if (key.isEmpty()) {
            return error(DataApiError.INVALID_SESSION, "invalid session: no key was given, or the key matches no"
                    + " record; send it in the api-key header", format, "", "");
        }
        String keyName = key.get().name();
        String method = event.path("requestContext").path("http").path("method").asText("");
        if (!method.equalsIgnoreCase("POST")) {
            return error(DataApiError.METHOD_NOT_ALLOWED, "the Data API accepts only POST", format, keyName, "");
        }
        String actionName = actionName(event);
        ProxyAction action;
        try {
            action = ProxyAction.fromWireName(actionName);
        } catch (IllegalArgumentException unknown) {
            action = null;
        }
        if (action == null || !DATA_API_ACTIONS.contains(action)) {
            return error(DataApiError.UNKNOWN_ACTION, "no Data API action '" + shorten(actionName) + "'; actions: "
                    + DATA_API_ACTIONS.stream().map(ProxyAction::wireName).toList(), format, keyName, "");
        }
        if (!isJsonMediaType(headers.getOrDefault("content-type", ""))) {
            return error(DataApiError.INVALID_PARAMETER, "Content-Type must be application/json or"
                    + " application/ejson", format, keyName, action.wireName());
        }
        String body;
        try {
            body = body(event);
        } catch (TooLarge tooLarge) {
            return error(DataApiError.REQUEST_TOO_LARGE, "the body is larger than this endpoint's limit of "
                    + maxRequestBytes + " bytes", format, keyName, action.wireName());
        } catch (IllegalArgumentException unreadable) {
            return error(DataApiError.INVALID_PARAMETER, unreadable.getMessage(), format, keyName,
                    action.wireName());
        }
        ObjectNode fields;
        List<Integer> generated = new ArrayList<>();
        try {
            fields = operationFields(body, action, generated);
        } catch (MissingParameter missing) {
            return error(DataApiError.MISSING_PARAMETER, missing.getMessage(), format, keyName, action.wireName());
        } catch (InvalidProxyMessageException invalid) {
            return error(invalid.getMessage().endsWith(" is required") ? DataApiError.MISSING_PARAMETER
                    : DataApiError.INVALID_PARAMETER, invalid.getMessage(), format, keyName, action.wireName());
        }
        ProxyOperation operation;
        try {
            operation = codec.readOperation(fields, "body");
        } catch (InvalidProxyMessageException invalid) {
            return error(invalid.getMessage().endsWith(" is required") ? DataApiError.MISSING_PARAMETER
                    : DataApiError.INVALID_PARAMETER, invalid.getMessage(), format, keyName, action.wireName());
        }
        OperationOutcome outcome = operations.run(requestId, operation, key.get().policy(), format);
        return switch (outcome) {
            case OperationOutcome.Succeeded succeeded -> new Answer(200, format, result(succeeded.result()),
                    generated.stream().map(String::valueOf).collect(Collectors.joining(",")), keyName,
                    action.wireName());
            case OperationOutcome.Failed failed -> failure(failed.error(), format, keyName, action.wireName());
            case OperationOutcome.Skipped skipped -> error(DataApiError.INTERNAL, "the operation did not run",
                    format, keyName, action.wireName());
        };
    }

    private Optional<DataApiKey> authenticate(JsonNode event, Map<String, String> headers) {
        // Only API Gateway writes requestContext: a caller cannot forge the authorizer's claims.
        if (event.path("requestContext").path("authorizer").path("jwt").path("claims").isObject()) {
            return keys.named(JWT_KEY_NAME);
        }
        String key = headers.getOrDefault("api-key", headers.getOrDefault("apikey", ""));
        return keys.authenticate(key.strip());
    }

    /**
     * The body's fields as a protocol operation: {@code dataSource} checked and removed (there is one data source:
     * the proxy's database), the action added, and an {@code _id} generated for each inserted document without one,
     * whose positions are added to {@code generated}.
     */
    private ObjectNode operationFields(String body, ProxyAction action, List<Integer> generated) {
        if (body.isEmpty()) {
            throw new InvalidProxyMessageException("the body is empty; expected a JSON object with dataSource,"
                    + " database, collection and the action's fields");
        }
        JsonNode parsed;
        try {
            parsed = codec.readTree(body);
        } catch (NumberFormatException | ArithmeticException outOfRange) {
            throw new InvalidProxyMessageException("the body holds a number that is out of range");
        }
        if (!parsed.isObject()) {
            throw new InvalidProxyMessageException("the body must be a JSON object");
        }
        ObjectNode fields = (ObjectNode) parsed;
        JsonNode dataSource = fields.remove("dataSource");
        if (dataSource == null || dataSource.isNull()) {
            throw new MissingParameter("body.dataSource is required (any name: this endpoint has one data source)");
        }
        if (!dataSource.isTextual() || dataSource.asText().isBlank()) {
            throw new InvalidProxyMessageException("body.dataSource must be a non-empty string");
        }
        if (fields.has("action")) {
            throw new InvalidProxyMessageException("body.action is not a Data API field: the action is in the path");
        }
        fields.put("action", action.wireName());
        if (action == ProxyAction.INSERT_ONE && fields.path("document").isObject()) {
            if (withGeneratedId(fields, "document", (ObjectNode) fields.get("document"))) {
                generated.add(0);
            }
        } else if (action == ProxyAction.INSERT_MANY && fields.path("documents").isArray()) {
            JsonNode documents = fields.get("documents");
            for (int i = 0; i < documents.size(); i++) {
                if (documents.get(i).isObject() && !documents.get(i).has("_id")) {
                    ((com.fasterxml.jackson.databind.node.ArrayNode) documents).set(i,
                            generatedId((ObjectNode) documents.get(i)));
                    generated.add(i);
                }
            }
        }
        return fields;
    }

    private static boolean withGeneratedId(ObjectNode fields, String field, ObjectNode document) {
        if (document.has("_id")) {
            return false;
        }
        fields.set(field, generatedId(document));
        return true;
    }

    /** The document with a new ObjectId as its first field, {@code _id}, as the server would have placed it. */
    private static ObjectNode generatedId(ObjectNode document) {
        ObjectNode withId = JsonNodeFactory.instance.objectNode();
        withId.set("_id", JsonNodeFactory.instance.objectNode().put("$oid", new ObjectId().toHexString()));
        withId.setAll(document);
        return withId;
    }

    private String body(JsonNode event) {
        JsonNode body = event.path("body");
        if (body.isMissingNode() || body.isNull()) {
            return "";
        }
        String text = body.asText();
        if (!event.path("isBase64Encoded").asBoolean(false)) {
            if (text.length() > maxRequestBytes
                    && text.getBytes(StandardCharsets.UTF_8).length > maxRequestBytes) {
                throw new TooLarge();
            }
            return text;
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the body could not be read");
        }
        if (bytes.length > maxRequestBytes) {
            throw new TooLarge();
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("the body is not valid UTF-8");
        }
    }

    /** The Data API's response body for a result. */
    private byte[] result(OperationResult result) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        switch (result) {
            case OperationResult.FoundOne one -> body.set("document", one.document());
            case OperationResult.FoundMany many -> body.putArray("documents").addAll(many.documents());
            case OperationResult.Counted counted -> body.put("count", counted.count());
            case OperationResult.InsertedOne inserted -> body.set("insertedId", inserted.insertedId());
            case OperationResult.InsertedMany inserted -> body.putArray("insertedIds").addAll(inserted.insertedIds());
            case OperationResult.Updated updated -> {
                body.put("matchedCount", updated.matchedCount()).put("modifiedCount", updated.modifiedCount());
                if (!updated.upsertedId().isNull()) {
                    body.set("upsertedId", updated.upsertedId());
                }
            }
            case OperationResult.Deleted deleted -> body.put("deletedCount", deleted.deletedCount());
        }
        try {
            return mapper.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Answer failure(ProxyError error, DataApiFormat format, String keyName, String action) {
        DataApiError dataApiError = DataApiError.of(error.code());
        return error(dataApiError, error.message(), format, keyName, action);
    }

    private Answer error(DataApiError error, String message, DataApiFormat format, String keyName, String action) {
        ObjectNode body = JsonNodeFactory.instance.objectNode()
                .put("error", message)
                .put("error_code", error.code())
                .put("link", error.link());
        try {
            return new Answer(error.status(), format, mapper.writeValueAsBytes(body), "", keyName, action);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private byte[] write(String requestId, Answer answer) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(answer.body().length * 4 / 3 + 256);
        try (JsonGenerator out = mapper.createGenerator(bytes)) {
            out.writeStartObject();
            out.writeNumberField("statusCode", answer.status());
            out.writeObjectFieldStart("headers");
            out.writeStringField("Content-Type", answer.format().mediaType());
            out.writeStringField("Db-Proxy-Request-Id", requestId);
            if (!answer.generatedIds().isEmpty()) {
                out.writeStringField("Db-Proxy-Generated-Ids", answer.generatedIds());
            }
            out.writeEndObject();
            out.writeStringField("body", Base64.getEncoder().encodeToString(answer.body()));
            out.writeBooleanField("isBase64Encoded", true);
            out.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** API Gateway's request id, safe for a log line; a generated one when the event has none. */
    private static String requestId(JsonNode event) {
        String id = event.path("requestContext").path("requestId").asText("");
        if (id.isEmpty() || id.length() > MAX_REQUEST_ID_LENGTH || !id.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            return "data-api-" + new ObjectId().toHexString();
        }
        return id;
    }

    /** The headers with lower-case names (API Gateway lowercases them already; a local caller might not). */
    private static Map<String, String> headers(JsonNode headers) {
        Map<String, String> names = new java.util.HashMap<>();
        headers.properties().forEach(header -> names.put(header.getKey().toLowerCase(Locale.ROOT),
                header.getValue().asText("")));
        return names;
    }

    private static String actionName(JsonNode event) {
        JsonNode parameter = event.path("pathParameters").path("action");
        if (parameter.isTextual()) {
            return parameter.asText();
        }
        String path = event.path("rawPath").asText("");
        if (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        int segment = path.lastIndexOf(ACTION_SEGMENT);
        String name = segment < 0 ? "" : path.substring(segment + ACTION_SEGMENT.length());
        return name.indexOf('/') >= 0 ? "" : name;
    }

    /**
     * Whether a {@code Content-Type} is {@code application/json} or {@code application/ejson}, with or without
     * parameters. (No regular expression: none is needed, and the handler's hot path stays free of them.)
     */
    private static boolean isJsonMediaType(String contentType) {
        int parameters = contentType.indexOf(';');
        String type = (parameters < 0 ? contentType : contentType.substring(0, parameters)).strip()
                .toLowerCase(Locale.ROOT);
        return type.equals("application/json") || type.equals("application/ejson");
    }

    private static String shorten(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }

    /** A body over the request limit. */
    private static final class TooLarge extends RuntimeException {
        TooLarge() {
            super(null, null, false, false);
        }
    }

    /** {@code dataSource} is missing. */
    private static final class MissingParameter extends RuntimeException {
        MissingParameter(String message) {
            super(message, null, false, false);
        }
    }
}
