package dev.dbproxy.lambda.environment;

import java.util.Map;
import java.util.function.Function;

/**
 * Reads whole-number settings from environment variables, with one rule everywhere: unset or blank means the default,
 * surrounding spaces are ignored, and anything else that is not a whole number in range fails with a message that
 * names the variable and the value found.
 */
public final class EnvironmentNumbers {

    private EnvironmentNumbers() {
    }

    /**
     * The variable as a number of at least 1, or {@code defaultValue} when unset or blank.
     *
     * @param invalid makes the exception thrown for a value that is not a positive whole number (an {@code int}),
     *                from a message naming the variable and the value
     */
    public static int positiveInt(Map<String, String> variables, String name, int defaultValue,
            Function<String, ? extends RuntimeException> invalid) {
        return wholeNumber(variables, name, defaultValue, 1, "a positive whole number", invalid);
    }

    /**
     * The variable as a number of at least 0, or {@code defaultValue} when unset or blank.
     *
     * @param invalid makes the exception thrown for a value that is not a whole number &gt;= 0 (an {@code int}),
     *                from a message naming the variable and the value
     */
    public static int nonNegativeInt(Map<String, String> variables, String name, int defaultValue,
            Function<String, ? extends RuntimeException> invalid) {
        return wholeNumber(variables, name, defaultValue, 0, "a whole number >= 0", invalid);
    }

    private static int wholeNumber(Map<String, String> variables, String name, int defaultValue, int minimum,
            String expected, Function<String, ? extends RuntimeException> invalid) {
        String text = variables.get(name);
        if (text == null || text.isBlank()) {
            return defaultValue;
        }
        try {
            int value = Integer.parseInt(text.strip());
            if (value >= minimum) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below with the variable's name
        }
        throw invalid.apply(name + " must be " + expected + ", was '" + text + "'");
    }
}
