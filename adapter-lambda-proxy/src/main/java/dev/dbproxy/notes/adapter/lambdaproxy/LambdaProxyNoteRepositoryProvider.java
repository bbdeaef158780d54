package dev.dbproxy.notes.adapter.lambdaproxy;

import dev.dbproxy.notes.core.port.NoteRepository;
import dev.dbproxy.notes.core.port.NoteRepositoryProvider;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.time.Duration;
import java.util.Map;
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
 * Offers the proxy strategy, {@code NOTES_REPOSITORY=lambda-proxy}: business functions hold no database connection
 * and invoke the DB proxy function instead. Configured by {@link LambdaProxySettings}.
 *
 * <p>The one {@link LambdaAsyncClient} per execution environment uses the Netty client with a single event-loop
 * thread (one invocation at a time needs no more), never retries by itself (the adapter retries throttles only), and
 * times out an invocation only after {@code NOTES_PROXY_INVOKE_TIMEOUT_MS}, longer than the proxy's own timeout.
 *
 * <p>The adapter owns that event loop rather than letting the SDK create it: the SDK shuts its own loops down with a
 * 2-second quiet period, so closing the repository took over 2 s, more than Lambda gives a function to shut down.
 * Closing the repository closes the client, then ends the loop without a quiet period (in milliseconds).
 */
public final class LambdaProxyNoteRepositoryProvider implements NoteRepositoryProvider {

    /** The value of {@code NOTES_REPOSITORY} that selects this adapter. */
    public static final String NAME = "lambda-proxy";
    /** The longest closing waits for the event loop to end. */
    private static final long EVENT_LOOP_SHUTDOWN_SECONDS = 1;

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
        EventLoopGroup eventLoop = eventLoop();
        LambdaAsyncClient lambda;
        try {
            lambda = client(settings, eventLoop);
        } catch (RuntimeException e) {
            eventLoop.shutdownGracefully(0, EVENT_LOOP_SHUTDOWN_SECONDS, TimeUnit.SECONDS);
            throw e;
        }
        return new LambdaProxyNoteRepository(new ProxyInvoker(lambda, settings.functionName(), settings.maxAttempts(),
                settings.invokeTimeout()),
                () -> close(lambda, eventLoop), settings);
    }

    /**
     * Builds the repository on a Lambda client the caller owns and closes, for example one client shared with other
     * invocations, as the find-by-id benchmark shares it with its no-op invoke. Closing the repository leaves that
     * client open. The client's timeouts must exceed the proxy function's own, as those of
     * {@link #client(LambdaProxySettings, EventLoopGroup)} do, and it must not retry by itself: the adapter retries
     * throttles only, so that no write runs twice.
     */
    public static NoteRepository create(LambdaProxySettings settings, LambdaAsyncClient lambda) {
        return new LambdaProxyNoteRepository(new ProxyInvoker(lambda, settings.functionName(), settings.maxAttempts(),
                settings.invokeTimeout()),
                () -> { }, settings);
    }

    /** A single-thread Netty event loop (a daemon thread) for {@link #client(LambdaProxySettings, EventLoopGroup)}. */
    public static EventLoopGroup eventLoop() {
        return new NioEventLoopGroup(1, new DefaultThreadFactory("notes-proxy-client", true));
    }

    /**
     * A Lambda client configured exactly as the adapter's own (HTTP client, timeouts, no SDK retries) on the given
     * event loop, for code that invokes the proxy function with hand-written requests, such as a benchmark of the
     * adapter's overhead. The caller closes the client, then shuts the event loop down.
     */
    public static LambdaAsyncClient client(LambdaProxySettings settings, EventLoopGroup eventLoop) {
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

    /** Closes the client, then ends its event loop at once: nothing is left to run on it. */
    private static void close(LambdaAsyncClient lambda, EventLoopGroup eventLoop) {
        try {
            lambda.close();
        } finally {
            eventLoop.shutdownGracefully(0, EVENT_LOOP_SHUTDOWN_SECONDS, TimeUnit.SECONDS)
                    .awaitUninterruptibly(EVENT_LOOP_SHUTDOWN_SECONDS, TimeUnit.SECONDS);
        }
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
