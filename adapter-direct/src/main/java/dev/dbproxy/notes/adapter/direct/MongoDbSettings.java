package dev.dbproxy.notes.adapter.direct;

import dev.dbproxy.lambda.environment.EnvironmentNames;
import dev.dbproxy.lambda.environment.EnvironmentNumbers;
import dev.dbproxy.lambda.environment.InvocationConcurrency;
import dev.dbproxy.notes.core.error.ConfigurationException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How the direct adapter reaches MongoDB, read from the function's environment. Defaults suit AWS Lambda: the pool
 * follows the invocations an environment runs at once ({@link InvocationConcurrency}: one connection on standard
 * Lambda, one per 32 concurrent invocations on Lambda Managed Instances), idle environments must not keep spare ones,
 * and an unreachable database must fail fast rather than run into the function timeout.
 *
 * @param uri                    the MongoDB connection string ({@code MONGODB_URI}); may hold credentials, so it is
 *                               never printed
 * @param database               database holding the notes ({@code NOTES_DATABASE})
 * @param collection             collection holding the notes ({@code NOTES_COLLECTION})
 * @param maxPoolSize            pooled connections per environment ({@code MONGODB_MAX_POOL_SIZE}, which always
 *                               wins; by default {@code AWS_LAMBDA_MAX_CONCURRENCY} / 32 rounded up, so 1 on
 *                               standard Lambda, see {@link InvocationConcurrency}); the database sees this plus one
 *                               monitoring connection per server, and the environment's concurrent invocations queue
 *                               for these connections within their own deadlines
 * @param serverSelectionTimeout how long an operation waits for a reachable server before failing as transient
 *                               ({@code MONGODB_SERVER_SELECTION_TIMEOUT_MS})
 * @param operationTimeout       how long a single read on a socket may take ({@code MONGODB_OPERATION_TIMEOUT_MS})
 * @param appName                name the database shows for these connections ({@code MONGODB_APP_NAME}, else the
 *                               Lambda function name)
 */
public record MongoDbSettings(
        String uri,
        String database,
        String collection,
        int maxPoolSize,
        Duration serverSelectionTimeout,
        Duration operationTimeout,
        String appName) {

    public static final String MONGODB_URI = "MONGODB_URI";
    public static final String NOTES_DATABASE = "NOTES_DATABASE";
    public static final String NOTES_COLLECTION = "NOTES_COLLECTION";
    public static final String MONGODB_MAX_POOL_SIZE = "MONGODB_MAX_POOL_SIZE";
    public static final String MONGODB_SERVER_SELECTION_TIMEOUT_MS = "MONGODB_SERVER_SELECTION_TIMEOUT_MS";
    public static final String MONGODB_OPERATION_TIMEOUT_MS = "MONGODB_OPERATION_TIMEOUT_MS";
    public static final String MONGODB_APP_NAME = "MONGODB_APP_NAME";

    public MongoDbSettings {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(collection, "collection");
        Objects.requireNonNull(appName, "appName");
        if (maxPoolSize < 1) {
            throw new ConfigurationException(MONGODB_MAX_POOL_SIZE + " must be at least 1");
        }
    }

    /**
     * Reads the settings from environment variables.
     *
     * @throws ConfigurationException naming the variable when {@code MONGODB_URI} is missing or a number is invalid
     */
    public static MongoDbSettings fromEnv(Map<String, String> env) {
        String uri = env.get(MONGODB_URI);
        if (uri == null || uri.isBlank()) {
            throw new ConfigurationException(MONGODB_URI
                    + " is not set; the direct adapter needs a MongoDB connection string (mongodb:// or mongodb+srv://)");
        }
        return new MongoDbSettings(
                uri.strip(),
                EnvironmentNames.databaseName(env, NOTES_DATABASE, "notes", ConfigurationException::new),
                EnvironmentNames.collectionName(env, NOTES_COLLECTION, "notes", ConfigurationException::new),
                InvocationConcurrency.poolSize(env, MONGODB_MAX_POOL_SIZE, ConfigurationException::new),
                Duration.ofMillis(positiveInt(env, MONGODB_SERVER_SELECTION_TIMEOUT_MS, 2_000)),
                Duration.ofMillis(positiveInt(env, MONGODB_OPERATION_TIMEOUT_MS, 10_000)),
                env.getOrDefault(MONGODB_APP_NAME, env.getOrDefault("AWS_LAMBDA_FUNCTION_NAME", "notes-direct")));
    }

    private static int positiveInt(Map<String, String> env, String name, int defaultValue) {
        return EnvironmentNumbers.positiveInt(env, name, defaultValue, ConfigurationException::new);
    }

    /** Never shows the connection string: it may hold a password. */
    @Override
    public String toString() {
        return "MongoDbSettings[uri=<hidden>, database=" + database + ", collection=" + collection
                + ", maxPoolSize=" + maxPoolSize + ", serverSelectionTimeout=" + serverSelectionTimeout
                + ", operationTimeout=" + operationTimeout + ", appName=" + appName + "]";
    }
}
