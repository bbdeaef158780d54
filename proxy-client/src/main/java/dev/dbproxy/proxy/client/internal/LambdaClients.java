package dev.dbproxy.proxy.client.internal;

import dev.dbproxy.proxy.client.DbProxySettings;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaAsyncClient;
import software.amazon.awssdk.services.lambda.LambdaAsyncClientBuilder;

/**
 * Builds the one {@link LambdaAsyncClient} of an execution environment as the DB proxy client needs it: on the JDK's
 * own HTTP client ({@link JdkAsyncHttpClient}, one thread of its own, no Netty in the function's jar), no retries by
 * the SDK (the client retries throttles only), and an invocation timed out only after the invoke timeout, longer than
 * the proxy's own. The Lambda client owns its HTTP client: closing it ends the HTTP client's thread at once.
 */
public final class LambdaClients {

    /** How long a connection to the Lambda endpoint may take to open. */
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);

    private LambdaClients() {
    }

    /** A Lambda client configured from {@code settings}; closing it closes its HTTP client. */
    public static LambdaAsyncClient client(DbProxySettings settings) {
        LambdaAsyncClientBuilder builder = LambdaAsyncClient.builder()
                .region(Region.of(settings.region()))
                .credentialsProvider(credentials(settings))
                .httpClientBuilder(JdkAsyncHttpClient.builder(CONNECT_TIMEOUT, settings.invokeTimeout()))
                .overrideConfiguration(configuration -> configuration
                        .retryStrategy(AwsRetryStrategy.doNotRetry())
                        .apiCallTimeout(settings.invokeTimeout())
                        .apiCallAttemptTimeout(settings.invokeTimeout()));
        settings.endpoint().ifPresent(builder::endpointOverride);
        return builder.build();
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
