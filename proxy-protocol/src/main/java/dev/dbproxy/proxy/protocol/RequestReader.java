package dev.dbproxy.proxy.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/** Reads a request tree strictly: every field known, of the right type, and belonging to its action. */
final class RequestReader {

    private static final Set<String> ENVELOPE_FIELDS =
            Set.of("version", "requestId", "deadlineEpochMillis", "ordered", "extendedJsonMode", "operations");
    private static final Set<String> NAMESPACE_FIELDS = Set.of("action", "database", "collection");
    /** What a version 2 operation may carry besides its action's fields: whose it is. */
    private static final Set<String> CALLER_FIELDS = Set.of("requestId", "deadlineEpochMillis");
    private static final Map<ProxyAction, List<String>> ARGUMENTS = argumentsByAction();
    /** Longer than any integer or double Extended JSON writes: refused before parsing, whatever it holds. */
    private static final int MAX_NUMBER_TEXT = 32;

    ProxyRequest read(JsonNode tree) {
        rejectUnknownFields(tree, ENVELOPE_FIELDS, "the request");
        long version = integer(required(tree, "version", "version"), Integer.MIN_VALUE, Integer.MAX_VALUE,
                "version must be an integer");
        if (version != ProxyJsonCodec.PROTOCOL_VERSION && version != ProxyJsonCodec.PROTOCOL_VERSION_2) {
            throw invalid("unsupported protocol version " + version + "; this proxy speaks versions "
                    + ProxyJsonCodec.PROTOCOL_VERSION + " and " + ProxyJsonCodec.PROTOCOL_VERSION_2);
        }
        boolean namesCallers = version == ProxyJsonCodec.PROTOCOL_VERSION_2;
        String requestId = text(required(tree, "requestId", "requestId"), "requestId");
        long deadline = deadline(required(tree, "deadlineEpochMillis", "deadlineEpochMillis"), "deadlineEpochMillis");
        boolean ordered = !tree.has("ordered") || bool(tree.get("ordered"), "ordered");
        ExtendedJsonMode mode = ExtendedJsonMode.CANONICAL;
        if (tree.has("extendedJsonMode")) {
            try {
                mode = ExtendedJsonMode.fromWireName(text(tree.get("extendedJsonMode"), "extendedJsonMode"));
            } catch (IllegalArgumentException e) {
                throw invalid("extendedJsonMode " + e.getMessage());
            }
        }
        JsonNode operations = required(tree, "operations", "operations");
        if (!operations.isArray() || operations.isEmpty()) {
            throw invalid("operations must be a non-empty array");
        }
        List<ProxyOperation> parsed = new ArrayList<>(operations.size());
        List<OperationCaller> callers = new ArrayList<>(namesCallers ? operations.size() : 0);
        for (int i = 0; i < operations.size(); i++) {
            String path = "operations[" + i + "]";
            parsed.add(readOperation(operations.get(i), path, namesCallers ? CALLER_FIELDS : Set.of()));
            if (namesCallers) {
                callers.add(caller(operations.get(i), path, requestId, deadline));
                if (callers.getLast().deadline().toEpochMilli() > deadline) {
                    throw invalid(ProxyRequest.laterDeadline(i));
                }
            }
        }
        try {
            return new ProxyRequest(requestId, Instant.ofEpochMilli(deadline), ordered, mode, parsed, callers);
        } catch (IllegalArgumentException e) {
            throw invalid(e.getMessage());
        }
    }

    /**
     * The version a request tree declares, when it is one this reader speaks; otherwise version 1, in which a
     * request refused for its version is answered.
     */
    static int declaredVersion(JsonNode tree) {
        JsonNode version = tree.path("version");
        try {
            return integer(version, 1, Integer.MAX_VALUE, "not a version") == ProxyJsonCodec.PROTOCOL_VERSION_2
                    ? ProxyJsonCodec.PROTOCOL_VERSION_2 : ProxyJsonCodec.PROTOCOL_VERSION;
        } catch (InvalidProxyMessageException notAVersion) {
            return ProxyJsonCodec.PROTOCOL_VERSION;
        }
    }

    /** The caller of a version 2 operation: its own {@code requestId} and deadline, else the request's. */
    private static OperationCaller caller(JsonNode operation, String path, String requestId, long deadline) {
        String callerId = requestId;
        if (operation.has("requestId")) {
            callerId = text(operation.get("requestId"), path + ".requestId");
            try {
                ProxyRequest.checkRequestId(callerId, path + ".requestId");
            } catch (IllegalArgumentException e) {
                throw invalid(e.getMessage());
            }
        }
        long callerDeadline = operation.has("deadlineEpochMillis")
                ? deadline(operation.get("deadlineEpochMillis"), path + ".deadlineEpochMillis") : deadline;
        return new OperationCaller(callerId, Instant.ofEpochMilli(callerDeadline));
    }

    private static long deadline(JsonNode node, String path) {
        return integer(node, 1, Long.MAX_VALUE,
                path + " must be a positive integer: milliseconds since 1970-01-01T00:00:00Z");
    }

    /** One operation object, read as strictly as in a version 1 request; messages start with {@code path}. */
    ProxyOperation readOperation(JsonNode node, String path) {
        return readOperation(node, path, Set.of());
    }

    /** As {@link #readOperation(JsonNode, String)}, also accepting the {@code callerFields} (read elsewhere). */
    private ProxyOperation readOperation(JsonNode node, String path, Set<String> callerFields) {
        if (!node.isObject()) {
            throw invalid(path + " must be an object");
        }
        ProxyAction action;
        try {
            action = ProxyAction.fromWireName(text(required(node, "action", path + ".action"), path + ".action"));
        } catch (IllegalArgumentException e) {
            throw invalid(path + ": " + e.getMessage());
        }
        List<String> arguments = ARGUMENTS.get(action);
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!NAMESPACE_FIELDS.contains(name) && !arguments.contains(name) && !callerFields.contains(name)) {
                throw invalid(path + "." + shorten(name) + " is not an argument of " + action.wireName()
                        + "; its arguments are " + arguments);
            }
        }
        OperationFields fields = new OperationFields(node, path);
        try {
            Namespace namespace = new Namespace(fields.text("database"), fields.text("collection"));
            return switch (action) {
                case FIND -> new ProxyOperation.Find(namespace, fields.optionalObject("filter"),
                        fields.optionalObject("projection"), fields.optionalObject("sort"),
                        fields.optionalCount("limit"), fields.optionalCount("skip"));
                case FIND_ONE -> new ProxyOperation.FindOne(namespace, fields.optionalObject("filter"),
                        fields.optionalObject("projection"), fields.optionalObject("sort"));
                case COUNT_DOCUMENTS -> new ProxyOperation.CountDocuments(namespace, fields.optionalObject("filter"));
                case INSERT_ONE -> new ProxyOperation.InsertOne(namespace, fields.object("document"));
                case INSERT_MANY -> new ProxyOperation.InsertMany(namespace, fields.objects("documents"));
                case UPDATE_ONE -> new ProxyOperation.UpdateOne(namespace, fields.object("filter"),
                        fields.update(), fields.optionalBoolean("upsert"));
                case UPDATE_MANY -> new ProxyOperation.UpdateMany(namespace, fields.object("filter"),
                        fields.update(), fields.optionalBoolean("upsert"));
                case REPLACE_ONE -> new ProxyOperation.ReplaceOne(namespace, fields.object("filter"),
                        fields.object("replacement"), fields.optionalBoolean("upsert"));
                case DELETE_ONE -> new ProxyOperation.DeleteOne(namespace, fields.object("filter"));
                case DELETE_MANY -> new ProxyOperation.DeleteMany(namespace, fields.object("filter"));
                case AGGREGATE -> new ProxyOperation.Aggregate(namespace, fields.objects("pipeline"));
            };
        } catch (IllegalArgumentException e) {
            throw invalid(path + "." + e.getMessage());
        }
    }

    /** Typed access to one operation's fields; messages carry the operation's path. */
    private record OperationFields(JsonNode node, String path) {

        String text(String field) {
            return RequestReader.text(required(node, field, path + "." + field), path + "." + field);
        }

        ObjectNode object(String field) {
            return asObject(required(node, field, path + "." + field), path + "." + field);
        }

        ObjectNode optionalObject(String field) {
            return node.has(field) ? object(field) : JsonNodeFactory.instance.objectNode();
        }

        List<ObjectNode> objects(String field) {
            JsonNode array = required(node, field, path + "." + field);
            if (!array.isArray()) {
                throw invalid(path + "." + field + " must be an array of objects");
            }
            List<ObjectNode> objects = new ArrayList<>(array.size());
            for (int i = 0; i < array.size(); i++) {
                objects.add(asObject(array.get(i), path + "." + field + "[" + i + "]"));
            }
            return objects;
        }

        JsonNode update() {
            JsonNode update = required(node, "update", path + ".update");
            if (!update.isObject() && !update.isArray()) {
                throw invalid(path + ".update must be an object of update operators or an array of pipeline stages");
            }
            return update;
        }

        int optionalCount(String field) {
            if (!node.has(field)) {
                return 0;
            }
            return (int) integer(node.get(field), 0, Integer.MAX_VALUE,
                    path + "." + field + " must be a non-negative integer");
        }

        boolean optionalBoolean(String field) {
            return node.has(field) && bool(node.get(field), path + "." + field);
        }
    }

    private static Map<ProxyAction, List<String>> argumentsByAction() {
        Map<ProxyAction, List<String>> arguments = new EnumMap<>(ProxyAction.class);
        arguments.put(ProxyAction.FIND, List.of("filter", "projection", "sort", "limit", "skip"));
        arguments.put(ProxyAction.FIND_ONE, List.of("filter", "projection", "sort"));
        arguments.put(ProxyAction.COUNT_DOCUMENTS, List.of("filter"));
        arguments.put(ProxyAction.INSERT_ONE, List.of("document"));
        arguments.put(ProxyAction.INSERT_MANY, List.of("documents"));
        arguments.put(ProxyAction.UPDATE_ONE, List.of("filter", "update", "upsert"));
        arguments.put(ProxyAction.UPDATE_MANY, List.of("filter", "update", "upsert"));
        arguments.put(ProxyAction.REPLACE_ONE, List.of("filter", "replacement", "upsert"));
        arguments.put(ProxyAction.DELETE_ONE, List.of("filter"));
        arguments.put(ProxyAction.DELETE_MANY, List.of("filter"));
        arguments.put(ProxyAction.AGGREGATE, List.of("pipeline"));
        return Map.copyOf(arguments);
    }

    private static void rejectUnknownFields(JsonNode node, Set<String> known, String where) {
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!known.contains(name)) {
                throw invalid("unknown field '" + shorten(name) + "' in " + where + "; known fields are "
                        + List.of("version", "requestId", "deadlineEpochMillis", "ordered", "extendedJsonMode",
                        "operations"));
            }
        }
    }

    private static JsonNode required(JsonNode node, String field, String path) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw invalid(path + " is required");
        }
        return value;
    }

    /**
     * The integer a field holds, written as a plain JSON integer or as canonical Extended JSON: the serialisers of
     * the MongoDB drivers wrap every number ({@code EJSON.stringify(request, {relaxed: false})} in JavaScript writes
     * {@code 1} as {@code {"$numberInt": "1"}} and {@code Date.now()} as {@code {"$numberLong": "…"}}; pymongo's
     * {@code CANONICAL_JSON_OPTIONS} does the same). A {@code $numberDouble} counts when its value is whole.
     *
     * @throws InvalidProxyMessageException with {@code error} as its message when the node is no such integer or is
     *                                      outside {@code min}..{@code max}
     */
    private static long integer(JsonNode node, long min, long max, String error) {
        OptionalLong value = node.isIntegralNumber() ? plainInteger(node) : wrappedInteger(node);
        if (value.isEmpty() || value.getAsLong() < min || value.getAsLong() > max) {
            throw invalid(error);
        }
        return value.getAsLong();
    }

    private static OptionalLong plainInteger(JsonNode node) {
        return node.canConvertToLong() ? OptionalLong.of(node.asLong()) : OptionalLong.empty();
    }

    /** The value of {@code {"$numberInt": "…"}}, {@code {"$numberLong": "…"}} or a whole {@code $numberDouble}. */
    private static OptionalLong wrappedInteger(JsonNode node) {
        if (!node.isObject() || node.size() != 1) {
            return OptionalLong.empty();
        }
        Map.Entry<String, JsonNode> wrapper = node.properties().iterator().next();
        String text = wrapper.getValue().isTextual() ? wrapper.getValue().asText() : "";
        if (text.isEmpty() || text.length() > MAX_NUMBER_TEXT) {
            return OptionalLong.empty();
        }
        try {
            return switch (wrapper.getKey()) {
                case "$numberInt" -> OptionalLong.of(Integer.parseInt(text));
                case "$numberLong" -> OptionalLong.of(Long.parseLong(text));
                case "$numberDouble" -> OptionalLong.of(new BigDecimal(text).longValueExact());
                default -> OptionalLong.empty();
            };
        } catch (NumberFormatException | ArithmeticException notAnInteger) {
            return OptionalLong.empty();
        }
    }

    private static String text(JsonNode node, String path) {
        if (!node.isTextual()) {
            throw invalid(path + " must be a string");
        }
        return node.asText();
    }

    private static boolean bool(JsonNode node, String path) {
        if (!node.isBoolean()) {
            throw invalid(path + " must be true or false");
        }
        return node.asBoolean();
    }

    private static ObjectNode asObject(JsonNode node, String path) {
        if (!node.isObject()) {
            throw invalid(path + " must be an object");
        }
        return (ObjectNode) node;
    }

    private static String shorten(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }

    private static InvalidProxyMessageException invalid(String message) {
        return new InvalidProxyMessageException(message);
    }
}
