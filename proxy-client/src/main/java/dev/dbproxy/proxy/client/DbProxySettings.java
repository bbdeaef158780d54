package dev.dbproxy.proxy.client;

import dev.dbproxy.lambda.environment.EnvironmentNumbers;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How a {@link DbProxyClient} reaches the DB proxy function. Read them from the function's environment
 * ({@link #fromEnv(Map)}: {@code DB_PROXY_FUNCTION} and the optional {@code DB_PROXY_*} variables), or start from
 * {@link #forFunction(String)} and change what you need.
 *
 * <p>The timeouts are chosen so that a write can never run twice: the SDK never retries on its own (the client
 * retries only throttles, which Lambda refuses before running anything), and the client-side timeout of one
 * invocation must be longer than the proxy function's own timeout. Every call has a deadline (its invocation's,
 * {@link InvocationContext}, or {@link #deadline()} from its start) that travels to the proxy, which stops working
 * before it; the client stops waiting 100 ms after it.
 *
 * @param functionName  name or ARN of the proxy function ({@code DB_PROXY_FUNCTION})
 * @param region        AWS region of the Lambda client ({@code AWS_REGION}; Lambda sets it for every function)
 * @param endpoint      the Lambda endpoint when not the real service ({@code AWS_ENDPOINT_URL_LAMBDA}, else
 *                      {@code AWS_ENDPOINT_URL}): a local platform
 * @param credentials   static credentials from {@code AWS_ACCESS_KEY_ID}/{@code AWS_SECRET_ACCESS_KEY}
 *                      (+{@code AWS_SESSION_TOKEN}), as Lambda provides them; empty to use the SDK's default chain
 * @param invokeTimeout the longest the client waits for one invocation ({@code DB_PROXY_INVOKE_TIMEOUT_MS}, 15 s);
 *                      raise it with the proxy function's timeout, which it must exceed
 * @param deadline      the budget of one call made outside an invocation, throttle retries included
 *                      ({@code DB_PROXY_DEADLINE_MS}, 8 s); a call of an invocation has that invocation's deadline
 * @param maxAttempts   attempts of a throttled invocation before the call fails as {@code THROTTLED}
 *                      ({@code DB_PROXY_MAX_ATTEMPTS}; by default as many as the call's deadline allows, so that a
 *                      busy proxy delays a call rather than refusing it); set it to give up earlier
 * @param batchWindow   the longest concurrent calls wait for one more call to share their invocation
 *                      ({@code DB_PROXY_BATCH_WINDOW_MICROS}, 2 ms); zero sends every call on its own. A call whose
 *                      caller blocks on it alone, or whose caller waits, leaves at once (see {@link DbProxyClient})
 * @param maxBatchSize  the most operations one coalesced invocation carries ({@code DB_PROXY_MAX_BATCH_SIZE}, 25, at
 *                      least 2); keep it at most the proxy's {@code PROXY_MAX_OPERATIONS_PER_BATCH}
 * @param coalesceAcrossInvocations whether calls of different invocations share proxy invocations
 *                      ({@code DB_PROXY_COALESCE_ACROSS_INVOCATIONS}; by default on where one environment runs several
 *                      invocations at once, {@code AWS_LAMBDA_MAX_CONCURRENCY} &gt; 1 under Lambda Managed Instances,
 *                      off elsewhere). A batch of several invocations' calls travels as protocol version 2, each
 *                      operation with its own caller's request id and deadline, so the proxy must speak version 2;
 *                      a batch waits up to the whole {@code batchWindow} for other invocations' calls
 * @param httpClient    the HTTP client the Lambda client runs on ({@code DB_PROXY_HTTP_CLIENT}, {@code jdk} or
 *                      {@code crt}; by default {@code jdk}, unless the deployment jar names another, see
 *                      {@link HttpClientType#jarDefault()})
 */
public record DbProxySettings(
        String functionName,
        String region,
        Optional<URI> endpoint,
        Optional<StaticCredentials> credentials,
        Duration invokeTimeout,
        Duration deadline,
        int maxAttempts,
        Duration batchWindow,
        int maxBatchSize,
        boolean coalesceAcrossInvocations,
        HttpClientType httpClient) {

    /** The prefix of the variables {@link #fromEnv(Map)} reads. */
    public static final String DEFAULT_PREFIX = "DB_PROXY_";
    /** The default {@link #maxAttempts()}: throttled invocations are retried for as long as the deadline allows. */
    public static final int UNTIL_THE_DEADLINE = Integer.MAX_VALUE;
    public static final String AWS_REGION = "AWS_REGION";
    public static final String AWS_ENDPOINT_URL_LAMBDA = "AWS_ENDPOINT_URL_LAMBDA";
    public static final String AWS_ENDPOINT_URL = "AWS_ENDPOINT_URL";
    /** Set by Lambda Managed Instances: how many invocations one execution environment runs at once. */
    public static final String AWS_LAMBDA_MAX_CONCURRENCY = "AWS_LAMBDA_MAX_CONCURRENCY";

    public DbProxySettings {
        Objects.requireNonNull(functionName, "functionName");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(invokeTimeout, "invokeTimeout");
        Objects.requireNonNull(deadline, "deadline");
        Objects.requireNonNull(batchWindow, "batchWindow");
        Objects.requireNonNull(httpClient, "httpClient");
        if (functionName.isBlank()) {
            throw new IllegalArgumentException("functionName must not be blank");
        }
        if (maxAttempts < 1 || maxBatchSize < 2) {
            throw new IllegalArgumentException("maxAttempts must be at least 1 and maxBatchSize at least 2");
        }
    }

    /** Settings on the JDK's HTTP client whose calls of different invocations never share a proxy invocation. */
    public DbProxySettings(String functionName, String region, Optional<URI> endpoint,
                           Optional<StaticCredentials> credentials, Duration invokeTimeout, Duration deadline,
                           int maxAttempts, Duration batchWindow, int maxBatchSize) {
        this(functionName, region, endpoint, credentials, invokeTimeout, deadline, maxAttempts, batchWindow,
                maxBatchSize, false, HttpClientType.JDK);
    }

    /**
     * The documented defaults for the proxy function {@code functionName}, in {@code us-east-1}, for an environment
     * that runs one invocation at a time (no coalescing across invocations), on the jar's default HTTP client.
     */
    public static DbProxySettings forFunction(String functionName) {
        return new DbProxySettings(functionName, "us-east-1", Optional.empty(), Optional.empty(),
                Duration.ofSeconds(15), Duration.ofSeconds(8), UNTIL_THE_DEADLINE, Duration.ofMillis(2), 25, false,
                HttpClientType.jarDefault());
    }

    /**
     * Reads {@code DB_PROXY_FUNCTION} (required), {@code DB_PROXY_INVOKE_TIMEOUT_MS}, {@code DB_PROXY_DEADLINE_MS},
     * {@code DB_PROXY_MAX_ATTEMPTS}, {@code DB_PROXY_BATCH_WINDOW_MICROS}, {@code DB_PROXY_MAX_BATCH_SIZE},
     * {@code DB_PROXY_COALESCE_ACROSS_INVOCATIONS}, {@code DB_PROXY_HTTP_CLIENT} and the standard AWS variables (with
     * {@code AWS_LAMBDA_MAX_CONCURRENCY}).
     *
     * @throws IllegalArgumentException naming the variable when the function is missing or a value is invalid
     */
    public static DbProxySettings fromEnv(Map<String, String> env) {
        return fromEnv(env, DEFAULT_PREFIX);
    }

    /**
     * As {@link #fromEnv(Map)}, with another prefix than {@code DB_PROXY_} (an application's own names, such as
     * {@code NOTES_PROXY_FUNCTION}, {@code NOTES_PROXY_DEADLINE_MS}, ...).
     */
    public static DbProxySettings fromEnv(Map<String, String> env, String prefix) {
        String functionVariable = prefix + "FUNCTION";
        String function = env.get(functionVariable);
        if (function == null || function.isBlank()) {
            throw new IllegalArgumentException(functionVariable
                    + " is not set; the DB proxy client needs the name or ARN of the DB proxy function");
        }
        String batchSizeVariable = prefix + "MAX_BATCH_SIZE";
        int maxBatchSize = positiveInt(env, batchSizeVariable, 25);
        if (maxBatchSize < 2) {
            throw new IllegalArgumentException(batchSizeVariable + " must be at least 2 (an update is two"
                    + " operations), was " + maxBatchSize);
        }
        return new DbProxySettings(
                function.strip(),
                env.getOrDefault(AWS_REGION, "us-east-1"),
                endpoint(env),
                StaticCredentials.fromEnv(env),
                Duration.ofMillis(positiveInt(env, prefix + "INVOKE_TIMEOUT_MS", 15_000)),
                Duration.ofMillis(positiveInt(env, prefix + "DEADLINE_MS", 8_000)),
                positiveInt(env, prefix + "MAX_ATTEMPTS", UNTIL_THE_DEADLINE),
                Duration.ofNanos(1_000L * EnvironmentNumbers.nonNegativeInt(env, prefix + "BATCH_WINDOW_MICROS", 2_000,
                        IllegalArgumentException::new)),
                maxBatchSize,
                coalesceAcrossInvocations(env, prefix + "COALESCE_ACROSS_INVOCATIONS"),
                HttpClientType.fromEnv(env, prefix + "HTTP_CLIENT"));
    }

    /**
     * {@code true} or {@code false} as the variable says; unset, whether this environment runs several invocations
     * at once ({@code AWS_LAMBDA_MAX_CONCURRENCY} over 1): only then are there other invocations' calls to share with.
     */
    private static boolean coalesceAcrossInvocations(Map<String, String> env, String name) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return positiveInt(env, AWS_LAMBDA_MAX_CONCURRENCY, 1) > 1;
        }
        return switch (value.strip()) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(name + " must be true or false, was '" + value + "'");
        };
    }

    /** These settings with the Lambda endpoint {@code uri} (a local platform's Invoke API, say). */
    public DbProxySettings withEndpoint(URI uri) {
        return new DbProxySettings(functionName, region, Optional.of(uri), credentials, invokeTimeout, deadline,
                maxAttempts, batchWindow, maxBatchSize, coalesceAcrossInvocations, httpClient);
    }

    /** These settings with another budget for calls made outside an invocation. */
    public DbProxySettings withDeadline(Duration budget) {
        return new DbProxySettings(functionName, region, endpoint, credentials, invokeTimeout, budget,
                maxAttempts, batchWindow, maxBatchSize, coalesceAcrossInvocations, httpClient);
    }

    /** These settings with another coalescing window; {@link Duration#ZERO} sends every call on its own. */
    public DbProxySettings withBatchWindow(Duration window) {
        return new DbProxySettings(functionName, region, endpoint, credentials, invokeTimeout, deadline,
                maxAttempts, window, maxBatchSize, coalesceAcrossInvocations, httpClient);
    }

    /**
     * These settings with calls of different invocations sharing proxy invocations ({@code true}; the proxy must
     * speak protocol version 2) or never ({@code false}).
     */
    public DbProxySettings withCoalesceAcrossInvocations(boolean share) {
        return new DbProxySettings(functionName, region, endpoint, credentials, invokeTimeout, deadline,
                maxAttempts, batchWindow, maxBatchSize, share, httpClient);
    }

    /** These settings with the Lambda client on another HTTP client. */
    public DbProxySettings withHttpClient(HttpClientType type) {
        return new DbProxySettings(functionName, region, endpoint, credentials, invokeTimeout, deadline,
                maxAttempts, batchWindow, maxBatchSize, coalesceAcrossInvocations, type);
    }

    private static int positiveInt(Map<String, String> env, String name, int defaultValue) {
        return EnvironmentNumbers.positiveInt(env, name, defaultValue, IllegalArgumentException::new);
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
            throw new IllegalArgumentException(name + " must be an absolute URL such as http://127.0.0.1:9001");
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
