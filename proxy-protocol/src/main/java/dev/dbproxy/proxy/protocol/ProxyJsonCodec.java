package dev.dbproxy.proxy.protocol;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Turns requests and responses into protocol JSON (UTF-8) and back. Thread-safe: build one with {@link #create()}
 * and share it.
 *
 * <p>Reading a request is strict: unknown fields, fields that do not belong to the action, wrong types and duplicate
 * keys are rejected with an {@link InvalidProxyMessageException} whose message names the field. Reading a response is
 * lenient about fields it does not know, so that a newer proxy can add some within the same protocol version.
 */
public final class ProxyJsonCodec {

    /** Protocol version 1: every request is one caller's. Every proxy accepts it. */
    public static final int PROTOCOL_VERSION = 1;
    /**
     * Protocol version 2: a request may carry the operations of several callers, each with its own request id and
     * deadline ({@link OperationCaller}). Proxies that read it also read version 1.
     */
    public static final int PROTOCOL_VERSION_2 = 2;

    private final ObjectMapper mapper;
    private final RequestReader requestReader = new RequestReader();
    private final ResponseReader responseReader = new ResponseReader();

    private ProxyJsonCodec(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** A codec with its own Jackson mapper, configured for the protocol. */
    public static ProxyJsonCodec create() {
        ObjectMapper mapper = JsonMapper.builder()
                // A repeated key could hide an operator from the proxy's policy check: refuse it.
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                // Keep 1.0 as written: stripping zeros would turn a double into an integer on the way to BSON.
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
                // A message is written in one piece: flushing after each embedded document would hand the stream
                // (the Lambda response) one small write per document.
                .disable(SerializationFeature.FLUSH_AFTER_WRITE_VALUE)
                .build();
        return new ProxyJsonCodec(mapper);
    }

    /**
     * Parses and validates a request.
     *
     * @throws InvalidProxyMessageException when the bytes are not a valid version 1 or version 2 request; its error
     *                                      names the field and it carries the request id (and a version 2) when that
     *                                      much could be read
     */
    public ProxyRequest readRequest(byte[] json) {
        JsonNode tree = readTree(json, "request");
        try {
            return requestReader.read(tree);
        } catch (InvalidProxyMessageException invalid) {
            JsonNode requestId = tree.path("requestId");
            boolean readable = requestId.isTextual() && !requestId.asText().isBlank()
                    && requestId.asText().length() <= ProxyRequest.MAX_REQUEST_ID_LENGTH
                    && requestId.asText().chars().noneMatch(Character::isISOControl);
            throw readable ? invalid.forRequest(requestId.asText(), RequestReader.declaredVersion(tree)) : invalid;
        }
    }

    /**
     * Parses and validates one operation object on its own ({@code action}, {@code database}, {@code collection} and
     * the action's arguments), as strictly as an operation of a request: for callers that carry operations in another
     * envelope, such as the Data API endpoint of the DB proxy.
     *
     * @param path how messages name the object, for example {@code body} ({@code body.filter must be an object})
     * @throws InvalidProxyMessageException when the object is not a valid operation; its error names the field
     */
    public ProxyOperation readOperation(JsonNode operation, String path) {
        return requestReader.readOperation(operation, path);
    }

    /**
     * The request as protocol JSON: version 1, or version 2 with each operation's {@code requestId} and
     * {@code deadlineEpochMillis} when the request names its operations' callers.
     */
    public byte[] writeRequest(ProxyRequest request) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (JsonGenerator out = mapper.createGenerator(bytes)) {
            out.writeStartObject();
            out.writeNumberField("version", request.version());
            out.writeStringField("requestId", request.requestId());
            out.writeNumberField("deadlineEpochMillis", request.deadline().toEpochMilli());
            out.writeBooleanField("ordered", request.ordered());
            out.writeStringField("extendedJsonMode", request.extendedJsonMode().wireName());
            out.writeArrayFieldStart("operations");
            for (int i = 0; i < request.operations().size(); i++) {
                writeOperation(out, request.operations().get(i),
                        request.callers().isEmpty() ? null : request.callers().get(i));
            }
            out.writeEndArray();
            out.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * Parses a response.
     *
     * @throws InvalidProxyMessageException when the bytes are not a version 1 or version 2 response
     */
    public ProxyResponse readResponse(byte[] json) {
        return responseReader.read(readTree(json, "response"));
    }

    /** The response as protocol JSON. */
    public byte[] writeResponse(ProxyResponse response) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        writeResponse(response, bytes);
        return bytes.toByteArray();
    }

    /**
     * Writes the response as protocol JSON to the stream, without closing it. Pre-serialized documents
     * ({@link ExtendedJson#preSerialized(String)}) are copied verbatim.
     *
     * @throws UncheckedIOException when the stream fails
     */
    public void writeResponse(ProxyResponse response, OutputStream stream) {
        try (JsonGenerator out = mapper.createGenerator(stream)) {
            out.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            out.writeStartObject();
            out.writeNumberField("version", response.version());
            if (response.requestId().isEmpty()) {
                out.writeNullField("requestId");
            } else {
                out.writeStringField("requestId", response.requestId());
            }
            switch (response) {
                case ProxyResponse.Completed completed -> {
                    out.writeArrayFieldStart("results");
                    for (OperationOutcome outcome : completed.outcomes()) {
                        writeOutcome(out, outcome);
                    }
                    out.writeEndArray();
                }
                case ProxyResponse.Rejected rejected -> {
                    out.writeFieldName("error");
                    writeError(out, rejected.error());
                }
            }
            ResponseMetadata metadata = response.metadata();
            out.writeObjectFieldStart("metadata");
            out.writeBooleanField("coldStart", metadata.coldStart());
            out.writeStringField("environmentId", metadata.environmentId());
            out.writeNumberField("serverTimeMs", metadata.serverTimeMs());
            out.writeEndObject();
            out.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses any JSON value with this codec's settings (duplicate keys refused), for documents and filters. */
    public JsonNode readTree(String json) {
        try {
            return mapper.readTree(json);
        } catch (JsonProcessingException e) {
            throw new InvalidProxyMessageException("not valid JSON: " + describe(e));
        }
    }

    private JsonNode readTree(byte[] json, String what) {
        if (json == null || json.length == 0) {
            throw new InvalidProxyMessageException("the " + what + " is empty; expected a JSON object");
        }
        JsonNode tree;
        try {
            tree = mapper.readTree(json);
        } catch (IOException e) {
            throw new InvalidProxyMessageException("the " + what + " is not valid JSON: " + describe(e));
        } catch (NumberFormatException | ArithmeticException e) {
            // Found by fuzzing: Jackson reports a number such as 41e02444800000 this way.
            throw new InvalidProxyMessageException("the " + what + " holds a number that is out of range");
        }
        if (tree == null || !tree.isObject()) {
            throw new InvalidProxyMessageException("the " + what + " must be a JSON object");
        }
        return tree;
    }

    private static String describe(IOException e) {
        String message = e instanceof JsonProcessingException processing
                ? processing.getOriginalMessage()
                : e.getClass().getSimpleName();
        if (e instanceof JsonProcessingException processing && processing.getLocation() != null) {
            message += " (line " + processing.getLocation().getLineNr()
                    + ", column " + processing.getLocation().getColumnNr() + ")";
        }
        return message.length() <= 300 ? message : message.substring(0, 300) + "...";
    }

    private void writeOperation(JsonGenerator out, ProxyOperation operation, OperationCaller caller)
            throws IOException {
        out.writeStartObject();
        if (caller != null) {
            out.writeStringField("requestId", caller.requestId());
            out.writeNumberField("deadlineEpochMillis", caller.deadline().toEpochMilli());
        }
        out.writeStringField("action", operation.action().wireName());
        out.writeStringField("database", operation.namespace().database());
        out.writeStringField("collection", operation.namespace().collection());
        switch (operation) {
            case ProxyOperation.Find find -> {
                writeTree(out, "filter", find.filter());
                writeIfNotEmpty(out, "projection", find.projection());
                writeIfNotEmpty(out, "sort", find.sort());
                if (find.limit() > 0) {
                    out.writeNumberField("limit", find.limit());
                }
                if (find.skip() > 0) {
                    out.writeNumberField("skip", find.skip());
                }
            }
            case ProxyOperation.FindOne findOne -> {
                writeTree(out, "filter", findOne.filter());
                writeIfNotEmpty(out, "projection", findOne.projection());
                writeIfNotEmpty(out, "sort", findOne.sort());
            }
            case ProxyOperation.CountDocuments count -> writeTree(out, "filter", count.filter());
            case ProxyOperation.InsertOne insert -> writeTree(out, "document", insert.document());
            case ProxyOperation.InsertMany insert -> writeArray(out, "documents", insert.documents());
            case ProxyOperation.UpdateOne update -> writeUpdate(out, update.filter(), update.update(), update.upsert());
            case ProxyOperation.UpdateMany update -> writeUpdate(out, update.filter(), update.update(), update.upsert());
            case ProxyOperation.ReplaceOne replace -> {
                writeTree(out, "filter", replace.filter());
                writeTree(out, "replacement", replace.replacement());
                if (replace.upsert()) {
                    out.writeBooleanField("upsert", true);
                }
            }
            case ProxyOperation.DeleteOne delete -> writeTree(out, "filter", delete.filter());
            case ProxyOperation.DeleteMany delete -> writeTree(out, "filter", delete.filter());
            case ProxyOperation.Aggregate aggregate -> writeArray(out, "pipeline", aggregate.pipeline());
        }
        out.writeEndObject();
    }

    private void writeUpdate(JsonGenerator out, ObjectNode filter, JsonNode update, boolean upsert) throws IOException {
        writeTree(out, "filter", filter);
        writeTree(out, "update", update);
        if (upsert) {
            out.writeBooleanField("upsert", true);
        }
    }

    private void writeOutcome(JsonGenerator out, OperationOutcome outcome) throws IOException {
        out.writeStartObject();
        switch (outcome) {
            case OperationOutcome.Succeeded succeeded -> {
                out.writeStringField("status", "ok");
                out.writeObjectFieldStart("result");
                writeResult(out, succeeded.result());
                out.writeEndObject();
            }
            case OperationOutcome.Failed failed -> {
                out.writeStringField("status", "error");
                out.writeFieldName("error");
                writeError(out, failed.error());
            }
            case OperationOutcome.Skipped skipped -> out.writeStringField("status", "skipped");
        }
        out.writeEndObject();
    }

    private void writeResult(JsonGenerator out, OperationResult result) throws IOException {
        switch (result) {
            case OperationResult.FoundOne one -> writeTree(out, "document", one.document());
            case OperationResult.FoundMany many -> writeArray(out, "documents", many.documents());
            case OperationResult.Counted counted -> out.writeNumberField("count", counted.count());
            case OperationResult.InsertedOne inserted -> writeTree(out, "insertedId", inserted.insertedId());
            case OperationResult.InsertedMany inserted -> writeArray(out, "insertedIds", inserted.insertedIds());
            case OperationResult.Updated updated -> {
                out.writeNumberField("matchedCount", updated.matchedCount());
                out.writeNumberField("modifiedCount", updated.modifiedCount());
                if (!updated.upsertedId().isNull()) {
                    writeTree(out, "upsertedId", updated.upsertedId());
                }
            }
            case OperationResult.Deleted deleted -> out.writeNumberField("deletedCount", deleted.deletedCount());
        }
    }

    private static void writeError(JsonGenerator out, ProxyError error) throws IOException {
        out.writeStartObject();
        out.writeStringField("code", error.code().name());
        out.writeStringField("message", error.message());
        out.writeBooleanField("retryable", error.retryable());
        out.writeEndObject();
    }

    private void writeTree(JsonGenerator out, String field, JsonNode node) throws IOException {
        out.writeFieldName(field);
        mapper.writeTree(out, node);
    }

    private void writeIfNotEmpty(JsonGenerator out, String field, ObjectNode node) throws IOException {
        if (!node.isEmpty()) {
            writeTree(out, field, node);
        }
    }

    private void writeArray(JsonGenerator out, String field, List<? extends JsonNode> nodes) throws IOException {
        out.writeArrayFieldStart(field);
        for (JsonNode node : nodes) {
            mapper.writeTree(out, node);
        }
        out.writeEndArray();
    }
}
