package dev.dbproxy.proxy.handler;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.connection.ServerMonitoringMode;
import dev.dbproxy.lambda.environment.EnvironmentNumbers;
import dev.dbproxy.lambda.environment.InvocationConcurrency;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * The DB proxy function's configuration, read once per execution environment from its environment variables.
 * Connection defaults suit Lambda: the pool follows the invocations an environment runs at once
 * ({@link InvocationConcurrency}: one connection on standard Lambda, one per 32 concurrent invocations on Lambda
 * Managed Instances), idle environments keep none spare, and an unreachable database fails fast instead of running
 * into the function timeout.
 *
 * @param mongoDbUri             the MongoDB connection string ({@code MONGODB_URI}, required); it may hold
 *                               credentials, so it is never printed
 * @param maxPoolSize            pooled connections per environment ({@code MONGODB_MAX_POOL_SIZE}, which always
 *                               wins; by default {@code AWS_LAMBDA_MAX_CONCURRENCY} / 32 rounded up, so 1 on standard
 *                               Lambda, see {@link InvocationConcurrency}); the database sees this plus one monitoring
 *                               connection per server, times the function's environments (on standard Lambda its
 *                               reserved concurrency); concurrent invocations of one environment queue for these
 *                               connections, each within its own time budget
 * @param serverSelectionTimeout how long an operation waits for a reachable server before failing with
 *                               {@code DATABASE_UNAVAILABLE} ({@code MONGODB_SERVER_SELECTION_TIMEOUT_MS}, default 2000)
 * @param connectTimeout         how long opening one connection may take ({@code MONGODB_CONNECT_TIMEOUT_MS}, default
 *                               2000)
 * @param appName                the name the database shows for these connections ({@code MONGODB_APP_NAME}, else the
 *                               Lambda function's name, else {@code db-proxy})
 * @param policy                 what callers may do ({@code PROXY_ALLOWED_*}, all required)
 * @param limits                 what one request may ask ({@code PROXY_MAX_*}, {@code PROXY_DEFAULT_FIND_LIMIT})
 * @param requestLog             which requests get a log line ({@code PROXY_LOG_REQUESTS}, default {@code all})
 */
public record DbProxySettings(String mongoDbUri, int maxPoolSize, Duration serverSelectionTimeout,
                              Duration connectTimeout, String appName, ProxyPolicy policy, ProxyLimits limits,
                              RequestLog requestLog) {

    public static final String MONGODB_URI = "MONGODB_URI";
    public static final String MONGODB_MAX_POOL_SIZE = "MONGODB_MAX_POOL_SIZE";
    public static final String MONGODB_SERVER_SELECTION_TIMEOUT_MS = "MONGODB_SERVER_SELECTION_TIMEOUT_MS";
    public static final String MONGODB_CONNECT_TIMEOUT_MS = "MONGODB_CONNECT_TIMEOUT_MS";
    public static final String MONGODB_APP_NAME = "MONGODB_APP_NAME";
    public static final String PROXY_ALLOWED_DATABASE = "PROXY_ALLOWED_DATABASE";
    public static final String PROXY_ALLOWED_COLLECTIONS = "PROXY_ALLOWED_COLLECTIONS";
    public static final String PROXY_ALLOWED_ACTIONS = "PROXY_ALLOWED_ACTIONS";
    public static final String PROXY_MAX_OPERATIONS_PER_BATCH = "PROXY_MAX_OPERATIONS_PER_BATCH";
    public static final String PROXY_DEFAULT_FIND_LIMIT = "PROXY_DEFAULT_FIND_LIMIT";
    public static final String PROXY_MAX_FIND_LIMIT = "PROXY_MAX_FIND_LIMIT";
    public static final String PROXY_MAX_RESPONSE_BYTES = "PROXY_MAX_RESPONSE_BYTES";
    public static final String PROXY_MAX_REQUEST_BYTES = "PROXY_MAX_REQUEST_BYTES";
    public static final String PROXY_LOG_REQUESTS = "PROXY_LOG_REQUESTS";

    /** Every {@code PROXY_} variable the proxy reads; any other one is a typo and fails fast. */
    public static final Set<String> PROXY_VARIABLES = Set.of(PROXY_ALLOWED_DATABASE, PROXY_ALLOWED_COLLECTIONS,
            PROXY_ALLOWED_ACTIONS, PROXY_MAX_OPERATIONS_PER_BATCH, PROXY_DEFAULT_FIND_LIMIT, PROXY_MAX_FIND_LIMIT,
            PROXY_MAX_RESPONSE_BYTES, PROXY_MAX_REQUEST_BYTES, PROXY_LOG_REQUESTS);

    /**
     * Which requests the proxy logs a line for ({@code requestId}, operations, failed operations, cold start, server
     * time). An unexpected failure is always logged, with its details, whatever this says.
     */
    public enum RequestLog {
        /** Every request: a trace of all traffic, one line (about 120 bytes of CloudWatch Logs) per invocation. */
        ALL,
        /** Only rejected requests and batches with a failed operation. */
        FAILURES;

        static RequestLog fromEnv(Map<String, String> env) {
            String value = env.getOrDefault(PROXY_LOG_REQUESTS, "all").strip();
            for (RequestLog choice : values()) {
                if (choice.name().equalsIgnoreCase(value)) {
                    return choice;
                }
            }
            throw new InvalidProxySettingsException(PROXY_LOG_REQUESTS + " must be all or failures, was '"
                    + value + "'");
        }
    }

    public DbProxySettings {
        Objects.requireNonNull(mongoDbUri, "mongoDbUri");
        Objects.requireNonNull(serverSelectionTimeout, "serverSelectionTimeout");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(appName, "appName");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(requestLog, "requestLog");
        if (!mongoDbUri.startsWith("mongodb://") && !mongoDbUri.startsWith("mongodb+srv://")) {
            throw new InvalidProxySettingsException(MONGODB_URI
                    + " must be a MongoDB connection string starting with mongodb:// or mongodb+srv://");
        }
        if (maxPoolSize < 1) {
            throw new InvalidProxySettingsException(MONGODB_MAX_POOL_SIZE + " must be at least 1, was " + maxPoolSize);
        }
    }

    /**
     * Reads the settings from the function's environment variables.
     *
     * @throws InvalidProxySettingsException naming the variable when a required one is missing, a value is invalid, or
     *                                       a {@code PROXY_} variable is not one the proxy knows (a typo would
     *                                       otherwise silently leave a default in force)
     */
    public static DbProxySettings fromEnv(Map<String, String> env) {
        Set<String> unknown = new TreeSet<>();
        for (String name : env.keySet()) {
            if (name.startsWith("PROXY_") && !PROXY_VARIABLES.contains(name)) {
                unknown.add(name);
            }
        }
        if (!unknown.isEmpty()) {
            throw new InvalidProxySettingsException("unknown variables " + unknown + "; the proxy reads "
                    + new TreeSet<>(PROXY_VARIABLES));
        }
        String uri = env.get(MONGODB_URI);
        if (uri == null || uri.isBlank()) {
            throw new InvalidProxySettingsException(MONGODB_URI
                    + " is not set; the proxy needs a MongoDB connection string (mongodb:// or mongodb+srv://)");
        }
        ProxyLimits defaults = ProxyLimits.defaults();
        ProxyLimits limits = new ProxyLimits(
                positiveInt(env, PROXY_MAX_OPERATIONS_PER_BATCH, defaults.maxOperationsPerBatch()),
                positiveInt(env, PROXY_DEFAULT_FIND_LIMIT, defaults.defaultFindLimit()),
                positiveInt(env, PROXY_MAX_FIND_LIMIT, defaults.maxFindLimit()),
                positiveInt(env, PROXY_MAX_RESPONSE_BYTES, defaults.maxResponseBytes()),
                positiveInt(env, PROXY_MAX_REQUEST_BYTES, defaults.maxRequestBytes()));
        return new DbProxySettings(
                uri.strip(),
                InvocationConcurrency.poolSize(env, MONGODB_MAX_POOL_SIZE, InvalidProxySettingsException::new),
                Duration.ofMillis(positiveInt(env, MONGODB_SERVER_SELECTION_TIMEOUT_MS, 2_000)),
                Duration.ofMillis(positiveInt(env, MONGODB_CONNECT_TIMEOUT_MS, 2_000)),
                env.getOrDefault(MONGODB_APP_NAME, env.getOrDefault("AWS_LAMBDA_FUNCTION_NAME", "db-proxy")),
                ProxyPolicy.fromEnv(env),
                limits,
                RequestLog.fromEnv(env));
    }

    /**
     * The driver settings for the one client of an execution environment: pool of {@link #maxPoolSize()} with no
     * minimum (a frozen environment must not hold spare connections), bounded server selection and connect time, the
     * app name. These override the same options given in the connection string.
     *
     * @throws InvalidProxySettingsException when the connection string cannot be parsed (the message does not repeat it)
     */
    public MongoClientSettings toMongoClientSettings() {
        ConnectionString connectionString;
        try {
            connectionString = new ConnectionString(mongoDbUri);
        } catch (IllegalArgumentException e) {
            // The driver's message may quote the string, password included: do not chain it.
            throw new InvalidProxySettingsException(MONGODB_URI + " is not a valid MongoDB connection string");
        }
        return MongoClientSettings.builder()
                .applyConnectionString(connectionString)
                .applicationName(appName)
                .applyToConnectionPoolSettings(pool -> pool.maxSize(maxPoolSize).minSize(0))
                .applyToClusterSettings(cluster -> cluster.serverSelectionTimeout(
                        serverSelectionTimeout.toMillis(), TimeUnit.MILLISECONDS))
                .applyToSocketSettings(socket -> socket.connectTimeout(
                        (int) connectTimeout.toMillis(), TimeUnit.MILLISECONDS))
                // One monitoring connection per server, as the driver chooses by itself inside Lambda (streaming
                // would add a second one): the same count on the local platform and against any MONGODB_URI.
                .applyToServerSettings(server -> server.serverMonitoringMode(ServerMonitoringMode.POLL))
                .build();
    }

    private static int positiveInt(Map<String, String> env, String name, int defaultValue) {
        return EnvironmentNumbers.positiveInt(env, name, defaultValue, InvalidProxySettingsException::new);
    }

    /** Never shows the connection string: it may hold a password. */
    @Override
    public String toString() {
        return "DbProxySettings[mongoDbUri=<hidden>, maxPoolSize=" + maxPoolSize + ", serverSelectionTimeout="
                + serverSelectionTimeout + ", connectTimeout=" + connectTimeout + ", appName=" + appName
                + ", policy=" + policy + ", limits=" + limits + ", requestLog=" + requestLog + "]";
    }
}
