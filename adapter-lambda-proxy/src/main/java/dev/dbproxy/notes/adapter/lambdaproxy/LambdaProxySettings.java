package dev.dbproxy.notes.adapter.lambdaproxy;

import dev.dbproxy.lambda.environment.EnvironmentNames;
import dev.dbproxy.notes.core.error.ConfigurationException;
import dev.dbproxy.proxy.client.DbProxySettings;
import java.util.Map;
import java.util.Objects;

/**
 * Where the Lambda-proxy adapter keeps the notes and how it reaches the DB proxy function, read from the function's
 * environment: the DB proxy client's settings under the {@code NOTES_PROXY_} prefix ({@code NOTES_PROXY_FUNCTION},
 * {@code NOTES_PROXY_DEADLINE_MS}, ...; see {@link DbProxySettings}) and the notes' namespace.
 *
 * @param proxy      how the DB proxy client reaches the proxy function
 * @param database   database of the notes ({@code NOTES_DATABASE})
 * @param collection collection of the notes ({@code NOTES_COLLECTION})
 */
public record LambdaProxySettings(DbProxySettings proxy, String database, String collection) {

    /** The prefix of the DB proxy client's variables for this adapter. */
    public static final String PREFIX = "NOTES_PROXY_";
    public static final String NOTES_PROXY_FUNCTION = PREFIX + "FUNCTION";
    public static final String NOTES_DATABASE = "NOTES_DATABASE";
    public static final String NOTES_COLLECTION = "NOTES_COLLECTION";
    public static final String AWS_ENDPOINT_URL_LAMBDA = DbProxySettings.AWS_ENDPOINT_URL_LAMBDA;
    public static final String AWS_ENDPOINT_URL = DbProxySettings.AWS_ENDPOINT_URL;
    public static final String NOTES_PROXY_INVOKE_TIMEOUT_MS = PREFIX + "INVOKE_TIMEOUT_MS";
    public static final String NOTES_PROXY_DEADLINE_MS = PREFIX + "DEADLINE_MS";
    public static final String NOTES_PROXY_MAX_ATTEMPTS = PREFIX + "MAX_ATTEMPTS";
    public static final String NOTES_PROXY_BATCH_WINDOW_MICROS = PREFIX + "BATCH_WINDOW_MICROS";
    public static final String NOTES_PROXY_MAX_BATCH_SIZE = PREFIX + "MAX_BATCH_SIZE";

    public LambdaProxySettings {
        Objects.requireNonNull(proxy, "proxy");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(collection, "collection");
    }

    /**
     * Reads the settings from environment variables.
     *
     * @throws ConfigurationException naming the variable when {@code NOTES_PROXY_FUNCTION} is missing or a value is
     *                                invalid
     */
    public static LambdaProxySettings fromEnv(Map<String, String> env) {
        DbProxySettings proxy;
        try {
            proxy = DbProxySettings.fromEnv(env, PREFIX);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(e.getMessage());
        }
        return new LambdaProxySettings(proxy,
                EnvironmentNames.databaseName(env, NOTES_DATABASE, "notes", ConfigurationException::new),
                EnvironmentNames.collectionName(env, NOTES_COLLECTION, "notes", ConfigurationException::new));
    }
}
