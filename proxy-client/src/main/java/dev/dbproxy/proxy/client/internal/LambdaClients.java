package dev.dbproxy.proxy.client.internal;

import dev.dbproxy.proxy.client.DbProxySettings;
import dev.dbproxy.proxy.client.HttpClientType;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaAsyncClient;
import software.amazon.awssdk.services.lambda.LambdaAsyncClientBuilder;

/**
 * Builds the one {@link LambdaAsyncClient} of an execution environment as the DB proxy client needs it: on the JDK's
 * own HTTP client ({@link JdkAsyncHttpClient}, one thread of its own, no Netty in the function's jar) or, when the
 * settings ask for it, the AWS CRT's; either way no retries by the SDK (the client retries throttles only), and an
 * invocation timed out only after the invoke timeout, longer than the proxy's own. The Lambda client owns its HTTP
 * client: closing it closes the HTTP client.
 */
public final class LambdaClients {

    /** How long a connection to the Lambda endpoint may take to open. */
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    /** What {@link HttpClientType#CRT} needs on the class path, and a class of it. */
    static final String CRT_ARTIFACT = "software.amazon.awssdk:aws-crt-client";
    private static final String CRT_CLIENT_CLASS = "software.amazon.awssdk.http.crt.AwsCrtAsyncHttpClient";

    private LambdaClients() {
    }

    /** A Lambda client configured from {@code settings}; closing it closes its HTTP client. */
    public static LambdaAsyncClient client(DbProxySettings settings) {
        LambdaAsyncClientBuilder builder = LambdaAsyncClient.builder()
                .region(Region.of(settings.region()))
                .credentialsProvider(credentials(settings))
                .httpClientBuilder(httpClient(settings))
                .overrideConfiguration(configuration -> configuration
                        .retryStrategy(AwsRetryStrategy.doNotRetry())
                        .apiCallTimeout(settings.invokeTimeout())
                        .apiCallAttemptTimeout(settings.invokeTimeout()));
        settings.endpoint().ifPresent(builder::endpointOverride);
        return builder.build();
    }

    private static SdkAsyncHttpClient.Builder<?> httpClient(DbProxySettings settings) {
        return switch (settings.httpClient()) {
            case JDK -> JdkAsyncHttpClient.builder(CONNECT_TIMEOUT, settings.invokeTimeout());
            case CRT -> {
                requireCrt(LambdaClients.class.getClassLoader());
                yield AwsCrtHttpClients.builder(CONNECT_TIMEOUT);
            }
        };
    }

    /**
     * Fails unless {@code loader} finds the CRT HTTP client.
     *
     * @throws IllegalStateException naming the missing artifact
     */
    static void requireCrt(ClassLoader loader) {
        try {
            Class.forName(CRT_CLIENT_CLASS, false, loader);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("The DB proxy client's HTTP client is set to crt, but " + CRT_ARTIFACT
                    + " is not on the class path: add it (with the software.amazon.awssdk.crt:aws-crt native library"
                    + " for the function's architecture) or set the HTTP client to jdk", e);
        }
    }

    private static AwsCredentialsProvider credentials(DbProxySettings settings) {
        return settings.credentials()
                .<AwsCredentialsProvider>map(credentials -> StaticCredentialsProvider.create(
                        credentials.sessionToken()
                                .<AwsCredentials>map(token ->
                                        AwsSessionCredentials.create(
                                                credentials.accessKeyId(), credentials.secretAccessKey(), token))
                                .orElseGet(() -> AwsBasicCredentials.create(
                                        credentials.accessKeyId(), credentials.secretAccessKey()))))
                .orElseGet(() -> DefaultCredentialsProvider.builder().build());
    }
}
