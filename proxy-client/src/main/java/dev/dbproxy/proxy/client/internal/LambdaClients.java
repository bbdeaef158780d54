package dev.dbproxy.proxy.client.internal;

import dev.dbproxy.proxy.client.DbProxySettings;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
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
 * Builds the one {@link LambdaAsyncClient} of an execution environment as the DB proxy client needs it: the Netty
 * client on one event-loop thread the caller owns (one invocation at a time needs no more), no retries by the SDK
 * (the client retries throttles only), and an invocation timed out only after the invoke timeout, longer than the
 * proxy's own. The caller owns the event loop rather than the SDK: the SDK shuts its own loops down with a 2-second
 * quiet period, more than Lambda gives a function to shut down; {@link #close} ends it without one.
 */
public final class LambdaClients {

    /** The longest closing waits for the event loop to end. */
    private static final long EVENT_LOOP_SHUTDOWN_SECONDS = 1;

    private LambdaClients() {
    }

    /** A single-thread Netty event loop (a daemon thread). */
    public static EventLoopGroup eventLoop() {
        return new NioEventLoopGroup(1, new DefaultThreadFactory("db-proxy-client", true));
    }

    /** A Lambda client on {@code eventLoop}, configured from {@code settings}. */
    public static LambdaAsyncClient client(DbProxySettings settings, EventLoopGroup eventLoop) {
        LambdaAsyncClientBuilder builder = LambdaAsyncClient.builder()
                .region(Region.of(settings.region()))
                .credentialsProvider(credentials(settings))
                .httpClientBuilder(NettyNioAsyncHttpClient.builder()
                        .eventLoopGroup(SdkEventLoopGroup.create(eventLoop))
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

    /** Ends an event loop at once: nothing is left to run on it once its client is closed. */
    public static void shutDown(EventLoopGroup eventLoop) {
        eventLoop.shutdownGracefully(0, EVENT_LOOP_SHUTDOWN_SECONDS, TimeUnit.SECONDS)
                .awaitUninterruptibly(EVENT_LOOP_SHUTDOWN_SECONDS, TimeUnit.SECONDS);
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
