package dev.dbproxy.notes.adapter.lambdaproxy;

import dev.dbproxy.notes.core.port.NoteRepository;
import dev.dbproxy.notes.core.port.NoteRepositoryProvider;
import java.time.Duration;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.SdkEventLoopGroup;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaAsyncClient;
import software.amazon.awssdk.services.lambda.LambdaAsyncClientBuilder;

/**
 * Offers the proxy strategy, {@code NOTES_REPOSITORY=lambda-proxy}: business functions hold no database connection
 * and invoke the DB proxy function instead. Configured by {@link LambdaProxySettings}.
 *
 * <p>The one {@link LambdaAsyncClient} per execution environment uses the Netty client with a single event-loop
 * thread (one invocation at a time needs no more), never retries by itself (the adapter retries throttles only), and
 * times out an invocation only after {@code NOTES_PROXY_INVOKE_TIMEOUT_MS}, longer than the proxy's own timeout.
 */
public final class LambdaProxyNoteRepositoryProvider implements NoteRepositoryProvider {

    /** The value of {@code NOTES_REPOSITORY} that selects this adapter. */
    public static final String NAME = "lambda-proxy";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public NoteRepository create(Map<String, String> environment) {
        return create(LambdaProxySettings.fromEnv(environment));
    }

    /** Builds the repository and its one Lambda client; call once per execution environment. */
    public static NoteRepository create(LambdaProxySettings settings) {
        LambdaAsyncClient lambda = client(settings);
        return new LambdaProxyNoteRepository(
                new ProxyInvoker(lambda, settings.functionName(), settings.maxAttempts()), lambda::close, settings);
    }

    /**
     * A Lambda client configured exactly as the adapter's own (HTTP client, timeouts, no SDK retries), for code that
     * invokes the proxy function with hand-written requests, such as a benchmark of the adapter's overhead. The caller
     * closes it.
     */
    public static LambdaAsyncClient client(LambdaProxySettings settings) {
        LambdaAsyncClientBuilder builder = LambdaAsyncClient.builder()
                .region(Region.of(settings.region()))
                .credentialsProvider(credentials(settings))
                .httpClientBuilder(NettyNioAsyncHttpClient.builder()
                        .eventLoopGroupBuilder(SdkEventLoopGroup.builder().numberOfThreads(1))
                        .maxConcurrency(16)
                        .connectionTimeout(Duration.ofSeconds(2))
                        .readTimeout(settings.invokeTimeout())
                        .writeTimeout(settings.invokeTimeout()))
                .overrideConfiguration(configuration -> configuration
                        .retryStrategy(AwsRetryStrategy.doNotRetry())
                        .apiCallTimeout(settings.invokeTimeout())
                        .apiCallAttemptTimeout(settings.invokeTimeout()));
        settings.endpoint().ifPresent(builder::endpointOverride);
        return builder.build();
    }

    private static AwsCredentialsProvider credentials(LambdaProxySettings settings) {
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
