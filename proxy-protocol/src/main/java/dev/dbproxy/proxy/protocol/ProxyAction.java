package dev.dbproxy.proxy.protocol;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The operations the proxy knows, named on the wire as the MongoDB Atlas Data API named them. */
public enum ProxyAction {
    FIND("find", false),
    FIND_ONE("findOne", false),
    COUNT_DOCUMENTS("countDocuments", false),
    INSERT_ONE("insertOne", true),
    INSERT_MANY("insertMany", true),
    UPDATE_ONE("updateOne", true),
    UPDATE_MANY("updateMany", true),
    REPLACE_ONE("replaceOne", true),
    DELETE_ONE("deleteOne", true),
    DELETE_MANY("deleteMany", true),
    AGGREGATE("aggregate", false);

    private static final Map<String, ProxyAction> BY_WIRE_NAME =
            Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(ProxyAction::wireName, Function.identity()));

    private final String wireName;
    private final boolean writes;

    ProxyAction(String wireName, boolean writes) {
        this.wireName = wireName;
        this.writes = writes;
    }

    /** The action's name in JSON, for example {@code findOne}. */
    public String wireName() {
        return wireName;
    }

    /** Whether the action changes data (an allowlist of read-only actions excludes all of these). */
    public boolean writes() {
        return writes;
    }

    /**
     * The action with this JSON name; names are case-sensitive, as on the wire.
     *
     * @throws IllegalArgumentException naming the allowed names when there is no such action
     */
    public static ProxyAction fromWireName(String wireName) {
        ProxyAction action = BY_WIRE_NAME.get(wireName);
        if (action == null) {
            throw new IllegalArgumentException("unknown action '" + truncate(wireName) + "'; known actions: " + wireNames());
        }
        return action;
    }

    /** All JSON names, in declaration order, for messages that list the allowed values. */
    public static List<String> wireNames() {
        return Arrays.stream(values()).map(ProxyAction::wireName).toList();
    }

    private static String truncate(String text) {
        String value = String.valueOf(text);
        return value.length() <= 40 ? value : value.substring(0, 40) + "...";
    }
}
