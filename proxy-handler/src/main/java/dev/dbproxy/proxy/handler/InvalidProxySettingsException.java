package dev.dbproxy.proxy.handler;

/**
 * The proxy's environment variables are missing or invalid. The message names the variable and the allowed values,
 * and never repeats the connection string.
 */
public final class InvalidProxySettingsException extends RuntimeException {

    public InvalidProxySettingsException(String message) {
        super(message);
    }
}
