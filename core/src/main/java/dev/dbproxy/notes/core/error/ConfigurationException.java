package dev.dbproxy.notes.core.error;

/**
 * The environment does not configure the library correctly: a required variable is missing or a value is not
 * allowed. The message names the variable and the allowed values, never the value of a secret.
 * Thrown at start-up, never per request.
 */
public final class ConfigurationException extends IllegalStateException {

    public ConfigurationException(String message) {
        super(message);
    }
}
