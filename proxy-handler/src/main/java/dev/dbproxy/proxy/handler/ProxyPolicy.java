package dev.dbproxy.proxy.handler;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dbproxy.proxy.protocol.ErrorCode;
import dev.dbproxy.proxy.protocol.ProxyAction;
import dev.dbproxy.proxy.protocol.ProxyError;
import dev.dbproxy.proxy.protocol.ProxyOperation;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * What the proxy lets callers do, denying everything not listed: one database, a list of collections, a list of
 * actions. Whatever the lists say, some operators are always refused: server-side JavaScript ({@code $where},
 * {@code $function}, {@code $accumulator}), writing stages ({@code $out}, {@code $merge}), stages that read server
 * state instead of a collection ({@code $currentOp}, {@code $listSessions}, {@code $listLocalSessions},
 * {@code $changeStream}), and {@code $lookup}, {@code $graphLookup} or {@code $unionWith} reaching a collection outside
 * the list, at any depth (nested pipelines, {@code $facet}, {@code $expr}).
 *
 * <p>Inserted and replacement documents are data: their values are not scanned for operators, but no field name in
 * them may start with {@code $} (MongoDB refuses such top-level names, and one inside {@code _id} would store an
 * operator object as a key). The only {@code $}-prefixed names allowed are the type keys of Extended JSON values such
 * as {@code {"$date": ...}}.
 *
 * @param database    the only database operations may name ({@code PROXY_ALLOWED_DATABASE})
 * @param collections the collections of that database operations may name or reach ({@code PROXY_ALLOWED_COLLECTIONS})
 * @param actions     the actions allowed ({@code PROXY_ALLOWED_ACTIONS})
 */
public record ProxyPolicy(String database, Set<String> collections, Set<ProxyAction> actions) {

    /** The keys of the Extended JSON (v2 and legacy) values a stored document may hold, such as {@code $oid}. */
    private static final Set<String> EXTENDED_JSON_TYPE_KEYS = Set.of("$oid", "$symbol", "$numberInt", "$numberLong",
            "$numberDouble", "$numberDecimal", "$binary", "$base64", "$subType", "$type", "$uuid", "$code", "$scope",
            "$timestamp", "$regularExpression", "$regex", "$options", "$dbPointer", "$date", "$minKey", "$maxKey",
            "$undefined", "$ref", "$id", "$db");

    /** Operators refused anywhere in a filter, projection, sort, update or pipeline, whatever the allowlists say. */
    public static final Set<String> ALWAYS_FORBIDDEN_OPERATORS = Set.of("$where", "$function", "$accumulator", "$out",
            "$merge", "$currentOp", "$listSessions", "$listLocalSessions", "$changeStream");

    public ProxyPolicy {
        if (database == null || database.isBlank()) {
            throw new InvalidProxySettingsException(DbProxySettings.PROXY_ALLOWED_DATABASE + " must name a database");
        }
        if (collections == null || collections.isEmpty()) {
            throw new InvalidProxySettingsException(DbProxySettings.PROXY_ALLOWED_COLLECTIONS
                    + " must list at least one collection (comma-separated)");
        }
        if (actions == null || actions.isEmpty()) {
            throw new InvalidProxySettingsException(DbProxySettings.PROXY_ALLOWED_ACTIONS
                    + " must list at least one action (comma-separated) of " + ProxyAction.wireNames());
        }
        // Sorted, so that the settings log line reads the same on every start.
        collections = Collections.unmodifiableSortedSet(new TreeSet<>(collections));
        actions = Collections.unmodifiableSet(EnumSet.copyOf(actions));
    }

    /**
     * Refuses the operation unless its action, database and collection are allowed and none of its filters,
     * projections, sorts, updates or pipelines holds a forbidden operator or reaches another collection, and no
     * inserted or replacement document has a {@code $}-prefixed field name.
     *
     * @throws OperationFailedException with a {@link ErrorCode#FORBIDDEN} error naming what was refused, or a
     *                                  {@link ErrorCode#VALIDATION} error naming a {@code $}-prefixed field of a document
     */
    void check(ProxyOperation operation) {
        if (!actions.contains(operation.action())) {
            throw forbidden("action " + operation.action().wireName() + " is not allowed by this proxy; allowed: "
                    + actions.stream().map(ProxyAction::wireName).sorted().toList());
        }
        if (!database.equals(operation.namespace().database())) {
            throw forbidden("database '" + shorten(operation.namespace().database()) + "' is not allowed by this proxy");
        }
        requireAllowedCollection(operation.namespace().collection());
        switch (operation) {
            case ProxyOperation.Find find -> {
                scan(find.filter(), "filter");
                scan(find.projection(), "projection");
                scan(find.sort(), "sort");
            }
            case ProxyOperation.FindOne findOne -> {
                scan(findOne.filter(), "filter");
                scan(findOne.projection(), "projection");
                scan(findOne.sort(), "sort");
            }
            case ProxyOperation.CountDocuments count -> scan(count.filter(), "filter");
            case ProxyOperation.InsertOne insert -> requireStorable(insert.document(), "document");
            case ProxyOperation.InsertMany insert -> insert.documents().forEach(document -> requireStorable(document, "documents"));
            case ProxyOperation.UpdateOne update -> {
                scan(update.filter(), "filter");
                scan(update.update(), "update");
            }
            case ProxyOperation.UpdateMany update -> {
                scan(update.filter(), "filter");
                scan(update.update(), "update");
            }
            case ProxyOperation.ReplaceOne replace -> {
                scan(replace.filter(), "filter");
                requireStorable(replace.replacement(), "replacement");
            }
            case ProxyOperation.DeleteOne delete -> scan(delete.filter(), "filter");
            case ProxyOperation.DeleteMany delete -> scan(delete.filter(), "filter");
            case ProxyOperation.Aggregate aggregate -> aggregate.pipeline().forEach(stage -> scan(stage, "pipeline"));
        }
    }

    private void scan(JsonNode node, String where) {
        if (node.isArray()) {
            node.forEach(element -> scan(element, where));
            return;
        }
        if (!node.isObject()) {
            return;
        }
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String name = field.getKey();
            JsonNode value = field.getValue();
            if (ALWAYS_FORBIDDEN_OPERATORS.contains(name)) {
                throw forbidden(name + " is never allowed through the proxy (found in " + where + ")");
            }
            switch (name) {
                case "$lookup", "$graphLookup" -> requireAllowedSource(value.get("from"), name);
                case "$unionWith" -> requireAllowedSource(value.isObject() ? value.get("coll") : value, name);
                default -> {
                    // Not a stage that reaches another collection.
                }
            }
            scan(value, where);
        }
    }

    /** Refuses a document to store whose field names, at any depth, start with {@code $}, except Extended JSON values. */
    private static void requireStorable(JsonNode node, String where) {
        if (node.isArray()) {
            node.forEach(element -> requireStorable(element, where));
            return;
        }
        if (!node.isObject() || isExtendedJsonValue(node)) {
            return;
        }
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (field.getKey().startsWith("$")) {
                throw new OperationFailedException(ProxyError.of(ErrorCode.VALIDATION, "field name '"
                        + shorten(field.getKey()) + "' in " + where + " may not start with '$'"));
            }
            requireStorable(field.getValue(), where);
        }
    }

    /** Whether every key of the object is an Extended JSON type key: the codec reads or refuses its content itself. */
    private static boolean isExtendedJsonValue(JsonNode node) {
        if (node.isEmpty()) {
            return false;
        }
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            if (!EXTENDED_JSON_TYPE_KEYS.contains(names.next())) {
                return false;
            }
        }
        return true;
    }

    private void requireAllowedSource(JsonNode source, String stage) {
        if (source == null || source.isMissingNode()) {
            // No collection: a pipeline over $documents, which reads nothing stored.
            return;
        }
        if (source.isTextual()) {
            requireAllowedCollection(source.asText(), stage);
            return;
        }
        if (source.isObject() && source.path("db").isTextual() && source.path("coll").isTextual()) {
            if (!database.equals(source.get("db").asText())) {
                throw forbidden(stage + " may not reach database '" + shorten(source.get("db").asText()) + "'");
            }
            requireAllowedCollection(source.get("coll").asText(), stage);
            return;
        }
        throw forbidden(stage + " must name an allowed collection of database '" + database + "'");
    }

    private void requireAllowedCollection(String collection) {
        if (!collections.contains(collection)) {
            throw forbidden("collection '" + shorten(collection) + "' is not allowed by this proxy");
        }
    }

    private void requireAllowedCollection(String collection, String stage) {
        if (!collections.contains(collection)) {
            throw forbidden(stage + " may not reach collection '" + shorten(collection)
                    + "': it is not allowed by this proxy");
        }
    }

    /**
     * Reads the policy from its three variables; each is required, lists are comma-separated, and an action that does
     * not exist fails with the list of actions that do.
     */
    static ProxyPolicy fromEnv(Map<String, String> env) {
        String database = required(env, DbProxySettings.PROXY_ALLOWED_DATABASE, "the database callers may use");
        Set<String> collections = list(required(env, DbProxySettings.PROXY_ALLOWED_COLLECTIONS,
                "a comma-separated list of collections"));
        Set<ProxyAction> actions = EnumSet.noneOf(ProxyAction.class);
        for (String name : list(required(env, DbProxySettings.PROXY_ALLOWED_ACTIONS,
                "a comma-separated list of actions of " + ProxyAction.wireNames()))) {
            try {
                actions.add(ProxyAction.fromWireName(name));
            } catch (IllegalArgumentException e) {
                throw new InvalidProxySettingsException(DbProxySettings.PROXY_ALLOWED_ACTIONS + ": " + e.getMessage());
            }
        }
        return new ProxyPolicy(database, collections, actions);
    }

    private static String required(Map<String, String> env, String variable, String what) {
        String value = env.get(variable);
        if (value == null || value.isBlank()) {
            throw new InvalidProxySettingsException(variable + " is not set; it must give " + what
                    + " (the proxy denies everything not listed)");
        }
        return value.strip();
    }

    private static Set<String> list(String commaSeparated) {
        return java.util.Arrays.stream(commaSeparated.split(","))
                .map(String::strip)
                .filter(item -> !item.isEmpty())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static OperationFailedException forbidden(String message) {
        return new OperationFailedException(ProxyError.of(ErrorCode.FORBIDDEN, message));
    }

    private static String shorten(String text) {
        String value = Objects.toString(text);
        return value.length() <= 60 ? value : value.substring(0, 60) + "...";
    }
}
