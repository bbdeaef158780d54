package dev.dbproxy.lambda.environment;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Function;

/**
 * Reads MongoDB database and collection names from environment variables, with the rules of {@link EnvironmentNumbers}:
 * unset or blank means the default, surrounding spaces are ignored, and a name MongoDB would refuse fails at once with
 * a message naming the variable and the value, instead of failing the first database call with the driver's words.
 */
public final class EnvironmentNames {

    private static final int MAX_DATABASE_BYTES = 63;
    private static final int MAX_COLLECTION_LENGTH = 120;
    private static final String DATABASE_FORBIDDEN = "/\\. \"$*<>:|?";

    private EnvironmentNames() {
    }

    /**
     * The variable as a database name: at most 63 bytes, none of {@code / \ . " $ * < > : | ?}, no space or control
     * character.
     *
     * @param invalid makes the exception thrown for any other value, from a message naming the variable and the value
     */
    public static String databaseName(Map<String, String> variables, String name, String defaultValue,
            Function<String, ? extends RuntimeException> invalid) {
        String value = valueOrDefault(variables, name, defaultValue);
        boolean valid = value.getBytes(StandardCharsets.UTF_8).length <= MAX_DATABASE_BYTES
                && value.chars().noneMatch(c -> DATABASE_FORBIDDEN.indexOf(c) >= 0 || Character.isISOControl(c));
        if (!valid) {
            throw invalid.apply(name + " must be a MongoDB database name (at most " + MAX_DATABASE_BYTES
                    + " bytes, none of / \\ . \" $ * < > : | ? or spaces), was '" + value + "'");
        }
        return value;
    }

    /**
     * The variable as a collection name: at most 120 characters, no {@code $} or control character, not starting with
     * {@code system.} (MongoDB's own collections).
     *
     * @param invalid makes the exception thrown for any other value, from a message naming the variable and the value
     */
    public static String collectionName(Map<String, String> variables, String name, String defaultValue,
            Function<String, ? extends RuntimeException> invalid) {
        String value = valueOrDefault(variables, name, defaultValue);
        boolean valid = value.length() <= MAX_COLLECTION_LENGTH && !value.startsWith("system.")
                && value.chars().noneMatch(c -> c == '$' || Character.isISOControl(c));
        if (!valid) {
            throw invalid.apply(name + " must be a MongoDB collection name (at most " + MAX_COLLECTION_LENGTH
                    + " characters, no $, not starting with system.), was '" + value + "'");
        }
        return value;
    }

    private static String valueOrDefault(Map<String, String> variables, String name, String defaultValue) {
        String text = variables.get(name);
        return text == null || text.isBlank() ? defaultValue : text.strip();
    }
}
