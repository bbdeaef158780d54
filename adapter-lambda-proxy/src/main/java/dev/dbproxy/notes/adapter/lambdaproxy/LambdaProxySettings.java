package dev.dbproxy.notes.adapter.lambdaproxy;

import dev.dbproxy.lambda.environment.EnvironmentNames;
import dev.dbproxy.lambda.environment.EnvironmentNumbers;
import dev.dbproxy.notes.core.error.ConfigurationException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How the Lambda-proxy adapter reaches the DB proxy function, read from the function's environment.
 *
 * <p>Timeouts are chosen so that a write can never run twice: the SDK never retries on its own (only throttles, which
 * Lambda refuses before running anything, are retried by the adapter), and the client-side timeout of one invocation
 * ({@code NOTES_PROXY_INVOKE_TIMEOUT_MS}) must be longer than the proxy function's own timeout. Every call has a
 * deadline (its caller's, or {@code NOTES_PROXY_DEADLINE_MS} from its start) that travels to the proxy, which stops
 * working before it; the adapter stops waiting 100 ms after it, or at the invoke timeout if that comes first. A call
 * that stops waiting fails as a transient {@code TIMEOUT} (the operation may have run) and is never retried by the
 * adapter.
 *
 * @param functionName   name or ARN of the proxy function ({@code NOTES_PROXY_FUNCTION})
 * @param database       database of the notes ({@code NOTES_DATABASE})
 * @param collection     collection of the notes ({@code NOTES_COLLECTION})
 * @param region         AWS region of the Lambda client ({@code AWS_REGION})
 * @param endpoint       the Lambda endpoint when not the real service ({@code AWS_ENDPOINT_URL_LAMBDA}, else
 *                       {@code AWS_ENDPOINT_URL})
 * @param credentials    static credentials from {@code AWS_ACCESS_KEY_ID}/{@code AWS_SECRET_ACCESS_KEY}
 *                       (+{@code AWS_SESSION_TOKEN}), as Lambda provides them; empty to use the SDK's default chain
 * @param invokeTimeout  client-side timeout of one invocation; must exceed the proxy function's timeout
 * @param deadline       how long one repository call may take in total, throttle retries included
 * @param maxAttempts    attempts of a throttled invocation before it fails as THROTTLED
 * @param batchWindow    the longest a batch of concurrent calls (reads and writes) waits for one more call to join
 *                       it; it leaves earlier once the thread that made the latest call waits (for its results)
 * @param maxBatchSize   most operations in one invocation, at least 2; a full batch is sent at once
 */
public record LambdaProxySettings(
        String functionName,
        String database,
        String collection,
        String region,
        Optional<URI> endpoint,
        Optional<StaticCredentials> credentials,
        Duration invokeTimeout,
        Duration deadline,
        int maxAttempts,
        Duration batchWindow,
        int maxBatchSize) {

    public static final String NOTES_PROXY_FUNCTION = "NOTES_PROXY_FUNCTION";
    public static final String NOTES_DATABASE = "NOTES_DATABASE";
    public static final String NOTES_COLLECTION = "NOTES_COLLECTION";
    public static final String AWS_REGION = "AWS_REGION";
    public static final String AWS_ENDPOINT_URL_LAMBDA = "AWS_ENDPOINT_URL_LAMBDA";
    public static final String AWS_ENDPOINT_URL = "AWS_ENDPOINT_URL";
    public static final String NOTES_PROXY_INVOKE_TIMEOUT_MS = "NOTES_PROXY_INVOKE_TIMEOUT_MS";
    public static final String NOTES_PROXY_DEADLINE_MS = "NOTES_PROXY_DEADLINE_MS";
    public static final String NOTES_PROXY_MAX_ATTEMPTS = "NOTES_PROXY_MAX_ATTEMPTS";
    public static final String NOTES_PROXY_BATCH_WINDOW_MICROS = "NOTES_PROXY_BATCH_WINDOW_MICROS";
    public static final String NOTES_PROXY_MAX_BATCH_SIZE = "NOTES_PROXY_MAX_BATCH_SIZE";

    public LambdaProxySettings {
        Objects.requireNonNull(functionName, "functionName");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(collection, "collection");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(invokeTimeout, "invokeTimeout");
        Objects.requireNonNull(deadline, "deadline");
        Objects.requireNonNull(batchWindow, "batchWindow");
    }

    /**
     * Reads the settings from environment variables.
     *
     * @throws ConfigurationException naming the variable when {@code NOTES_PROXY_FUNCTION} is missing or a value is
     *                                invalid
     */
    public static LambdaProxySettings fromEnv(Map<String, String> env) {
        String function = env.get(NOTES_PROXY_FUNCTION);
        if (function == null || function.isBlank()) {
            throw new ConfigurationException(NOTES_PROXY_FUNCTION
                    + " is not set; the lambda-proxy adapter needs the name or ARN of the DB proxy function");
        }
        return new LambdaProxySettings(
                function.strip(),
                EnvironmentNames.databaseName(env, NOTES_DATABASE, "notes", ConfigurationException::new),
                EnvironmentNames.collectionName(env, NOTES_COLLECTION, "notes", ConfigurationException::new),
                env.getOrDefault(AWS_REGION, "us-east-1"),
                endpoint(env),
                StaticCredentials.fromEnv(env),
                Duration.ofMillis(positiveInt(env, NOTES_PROXY_INVOKE_TIMEOUT_MS, 15_000)),
                Duration.ofMillis(positiveInt(env, NOTES_PROXY_DEADLINE_MS, 8_000)),
                positiveInt(env, NOTES_PROXY_MAX_ATTEMPTS, 4),
                Duration.ofNanos(1_000L * nonNegativeInt(env, NOTES_PROXY_BATCH_WINDOW_MICROS, 2_000)),
                maxBatchSize(env));
    }

    /** At least two operations, because an update is two: the update and the read of the updated note. */
    private static int maxBatchSize(Map<String, String> env) {
        int size = positiveInt(env, NOTES_PROXY_MAX_BATCH_SIZE, 25);
        if (size < 2) {
            throw new ConfigurationException(NOTES_PROXY_MAX_BATCH_SIZE + " must be at least 2 (an update is two"
                    + " operations), was " + size);
        }
        return size;
    }

    private static int positiveInt(Map<String, String> env, String name, int defaultValue) {
        return EnvironmentNumbers.positiveInt(env, name, defaultValue, ConfigurationException::new);
    }

    private static int nonNegativeInt(Map<String, String> env, String name, int defaultValue) {
        return EnvironmentNumbers.nonNegativeInt(env, name, defaultValue, ConfigurationException::new);
    }

    private static Optional<URI> endpoint(Map<String, String> env) {
        String name = env.containsKey(AWS_ENDPOINT_URL_LAMBDA) ? AWS_ENDPOINT_URL_LAMBDA : AWS_ENDPOINT_URL;
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        try {
            URI uri = new URI(value.strip());
            if (uri.getScheme() == null || uri.getHost() == null) {
                throw new URISyntaxException(value, "scheme and host required");
            }
            return Optional.of(uri);
        } catch (URISyntaxException e) {
            throw new ConfigurationException(name + " must be an absolute URL such as http://127.0.0.1:9001");
        }
    }

    /**
     * Credentials Lambda passes to every function through its environment.
     *
     * @param accessKeyId     {@code AWS_ACCESS_KEY_ID}
     * @param secretAccessKey {@code AWS_SECRET_ACCESS_KEY}, never printed
     * @param sessionToken    {@code AWS_SESSION_TOKEN}, empty for long-term keys, never printed
     */
    public record StaticCredentials(String accessKeyId, String secretAccessKey, Optional<String> sessionToken) {

        static Optional<StaticCredentials> fromEnv(Map<String, String> env) {
            String id = env.get("AWS_ACCESS_KEY_ID");
            String secret = env.get("AWS_SECRET_ACCESS_KEY");
            if (id == null || id.isBlank() || secret == null || secret.isBlank()) {
                return Optional.empty();
            }
            return Optional.of(new StaticCredentials(id, secret, Optional.ofNullable(env.get("AWS_SESSION_TOKEN"))
                    .filter(token -> !token.isBlank())));
        }

        @Override
        public String toString() {
            return "StaticCredentials[accessKeyId=" + accessKeyId
                    + ", secretAccessKey=<hidden>, sessionToken=<hidden>]";
        }
    }
}
