package dev.dbproxy.proxy.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.util.ArrayList;
import java.util.List;

/** Reads a version 1 or 2 response tree, ignoring fields it does not know (a newer proxy may add some). */
final class ResponseReader {

    ProxyResponse read(JsonNode tree) {
        JsonNode versionNode = tree.path("version");
        int version = versionNode.isIntegralNumber() && versionNode.canConvertToInt() ? versionNode.asInt() : 0;
        if (version != ProxyJsonCodec.PROTOCOL_VERSION && version != ProxyJsonCodec.PROTOCOL_VERSION_2) {
            throw invalid("the response is not a protocol version " + ProxyJsonCodec.PROTOCOL_VERSION + " or "
                    + ProxyJsonCodec.PROTOCOL_VERSION_2 + " response");
        }
        String requestId = tree.path("requestId").isTextual() ? tree.get("requestId").asText() : "";
        ResponseMetadata metadata = readMetadata(tree.path("metadata"));
        JsonNode error = tree.get("error");
        if (error != null && !error.isNull()) {
            return new ProxyResponse.Rejected(requestId, readError(error, "error"), metadata, version);
        }
        JsonNode results = tree.path("results");
        if (!results.isArray()) {
            throw invalid("the response has neither results nor error");
        }
        List<OperationOutcome> outcomes = new ArrayList<>(results.size());
        for (int i = 0; i < results.size(); i++) {
            outcomes.add(readOutcome(results.get(i), "results[" + i + "]"));
        }
        return new ProxyResponse.Completed(requestId, outcomes, metadata, version);
    }

    private static OperationOutcome readOutcome(JsonNode node, String path) {
        String status = node.path("status").asText();
        return switch (status) {
            case "ok" -> new OperationOutcome.Succeeded(readResult(node.path("result"), path + ".result"));
            case "error" -> new OperationOutcome.Failed(readError(node.path("error"), path + ".error"));
            case "skipped" -> new OperationOutcome.Skipped();
            default -> throw invalid(path + ".status must be ok, error or skipped");
        };
    }

    private static OperationResult readResult(JsonNode result, String path) {
        if (result.has("document")) {
            return new OperationResult.FoundOne(result.get("document"));
        }
        if (result.has("documents")) {
            return new OperationResult.FoundMany(elements(result.get("documents"), path + ".documents"));
        }
        if (result.has("count")) {
            return new OperationResult.Counted(count(result, "count", path));
        }
        if (result.has("insertedId")) {
            return new OperationResult.InsertedOne(result.get("insertedId"));
        }
        if (result.has("insertedIds")) {
            return new OperationResult.InsertedMany(elements(result.get("insertedIds"), path + ".insertedIds"));
        }
        if (result.has("matchedCount")) {
            JsonNode upsertedId = result.has("upsertedId") ? result.get("upsertedId") : NullNode.getInstance();
            return new OperationResult.Updated(count(result, "matchedCount", path),
                    count(result, "modifiedCount", path), upsertedId);
        }
        if (result.has("deletedCount")) {
            return new OperationResult.Deleted(count(result, "deletedCount", path));
        }
        throw invalid(path + " is not a result of any known action");
    }

    private static ResponseMetadata readMetadata(JsonNode node) {
        if (!node.isObject()) {
            throw invalid("the response has no metadata");
        }
        return new ResponseMetadata(node.path("coldStart").asBoolean(), node.path("environmentId").asText(""),
                Math.max(0, node.path("serverTimeMs").asLong()));
    }

    private static ProxyError readError(JsonNode node, String path) {
        if (!node.isObject()) {
            throw invalid(path + " must be an object");
        }
        String codeName = node.path("code").asText();
        String message = node.path("message").asText("");
        ErrorCode code;
        try {
            code = ErrorCode.valueOf(codeName);
        } catch (IllegalArgumentException e) {
            // A newer proxy's code: keep what it said, and treat it as the catch-all.
            code = ErrorCode.INTERNAL;
            message = codeName + ": " + message;
        }
        if (message.isBlank()) {
            message = code.name();
        }
        boolean retryable = node.has("retryable") ? node.get("retryable").asBoolean() : code.retryableByDefault();
        return new ProxyError(code, message, retryable);
    }

    private static List<JsonNode> elements(JsonNode array, String path) {
        if (!array.isArray()) {
            throw invalid(path + " must be an array");
        }
        List<JsonNode> elements = new ArrayList<>(array.size());
        array.forEach(elements::add);
        return elements;
    }

    private static long count(JsonNode result, String field, String path) {
        JsonNode value = result.path(field);
        if (!value.isIntegralNumber()) {
            throw invalid(path + "." + field + " must be an integer");
        }
        return value.asLong();
    }

    private static InvalidProxyMessageException invalid(String message) {
        return new InvalidProxyMessageException(message);
    }
}
