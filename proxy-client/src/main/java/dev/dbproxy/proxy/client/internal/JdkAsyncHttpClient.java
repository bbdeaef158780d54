package dev.dbproxy.proxy.client.internal;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodySubscribers;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import reactor.adapter.JdkFlowAdapter;
import software.amazon.awssdk.http.SdkHttpFullResponse;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.async.AsyncExecuteRequest;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.http.async.SdkAsyncHttpResponseHandler;
import software.amazon.awssdk.http.async.SdkHttpContentPublisher;
import software.amazon.awssdk.utils.AttributeMap;

/**
 * The AWS SDK's asynchronous HTTP client on the JDK's own non-blocking {@link HttpClient}, so that a business function
 * of the proxy strategy carries no Netty (3.5 MB, ~650 classes loaded by a cold request) and takes a shorter request
 * path. It speaks HTTP/1.1, streams the request body from the SDK's content publisher and the response body to the
 * SDK's handler, and runs on one daemon thread of its own ({@code db-proxy-client}, as one invocation at a time needs
 * no more) besides the JDK client's selector; {@link #close()} ends both at once, without waiting for calls in
 * flight. Failures reach the SDK as the JDK reports them ({@link java.io.IOException}s such as
 * {@link java.net.http.HttpConnectTimeoutException}), which it turns into an {@code SdkClientException}, as it does
 * any transport failure; its own call timeouts cancel the exchange.
 */
public final class JdkAsyncHttpClient implements SdkAsyncHttpClient {

    /** Headers the JDK client sets itself and refuses from its caller; it derives the same values. */
    private static final Set<String> SET_BY_THE_JDK = Set.of("connection", "content-length", "expect", "host",
            "upgrade");

    private final ExecutorService executor;
    private final HttpClient http;
    private final Duration readTimeout;

    private JdkAsyncHttpClient(Duration connectTimeout, Duration readTimeout) {
        this.executor = Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, "db-proxy-client");
            thread.setDaemon(true);
            return thread;
        });
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(executor)
                .build();
        this.readTimeout = readTimeout;
    }

    /** A builder the SDK builds the client from, and so closes it with its own client. */
    public static Builder builder(Duration connectTimeout, Duration readTimeout) {
        return new Builder(connectTimeout, readTimeout);
    }

    @Override
    public CompletableFuture<Void> execute(AsyncExecuteRequest request) {
        SdkAsyncHttpResponseHandler handler = request.responseHandler();
        CompletableFuture<Void> done = new CompletableFuture<>();
        CompletableFuture<HttpResponse<Flow.Publisher<List<ByteBuffer>>>> exchange;
        try {
            exchange = http.sendAsync(toJdkRequest(request.request(), request.requestContentPublisher()),
                    responseInfo -> {
                        handler.onHeaders(SdkHttpFullResponse.builder()
                                .statusCode(responseInfo.statusCode())
                                .headers(responseInfo.headers().map())
                                .build());
                        return BodySubscribers.ofPublisher();
                    });
        } catch (RuntimeException e) {
            handler.onError(e);
            done.completeExceptionally(e);
            return done;
        }
        exchange.whenComplete((response, error) -> {
            if (error != null) {
                Throwable cause = unwrap(error);
                handler.onError(cause);
                done.completeExceptionally(cause);
                return;
            }
            handler.onStream(JdkFlowAdapter.flowPublisherToFlux(response.body())
                    .<ByteBuffer>flatMapIterable(buffers -> buffers)
                    .doOnComplete(() -> done.complete(null))
                    .doOnCancel(() -> done.complete(null))
                    .doOnError(done::completeExceptionally));
        });
        done.whenComplete((ignored, error) -> {
            if (error != null) {
                exchange.cancel(true);
            }
        });
        return done;
    }

    @Override
    public String clientName() {
        return "JdkHttpClient";
    }

    /** Ends the JDK client and its thread at once: calls still in flight fail. */
    @Override
    public void close() {
        try {
            http.shutdownNow();
        } finally {
            executor.shutdownNow();
        }
    }

    private HttpRequest toJdkRequest(SdkHttpRequest request, SdkHttpContentPublisher content) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(request.getUri()).timeout(readTimeout);
        request.forEachHeader((name, values) -> {
            if (!SET_BY_THE_JDK.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(value -> builder.header(name, value));
            }
        });
        return builder.method(request.method().name(), body(content)).build();
    }

    private static HttpRequest.BodyPublisher body(SdkHttpContentPublisher content) {
        if (content == null) {
            return HttpRequest.BodyPublishers.noBody();
        }
        long length = content.contentLength().orElse(-1L);
        if (length == 0) {
            return HttpRequest.BodyPublishers.noBody();
        }
        Flow.Publisher<ByteBuffer> bytes = JdkFlowAdapter.publisherToFlowPublisher(content);
        return length > 0 ? HttpRequest.BodyPublishers.fromPublisher(bytes, length)
                : HttpRequest.BodyPublishers.fromPublisher(bytes);
    }

    private static Throwable unwrap(Throwable error) {
        Throwable current = error;
        while (current instanceof CompletionException && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }

    /** Builds a {@link JdkAsyncHttpClient}; the SDK's defaults for HTTP clients do not apply to it. */
    public static final class Builder implements SdkAsyncHttpClient.Builder<Builder> {

        private final Duration connectTimeout;
        private final Duration readTimeout;

        private Builder(Duration connectTimeout, Duration readTimeout) {
            this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout");
            this.readTimeout = Objects.requireNonNull(readTimeout, "readTimeout");
        }

        @Override
        public SdkAsyncHttpClient buildWithDefaults(AttributeMap serviceDefaults) {
            return new JdkAsyncHttpClient(connectTimeout, readTimeout);
        }
    }
}
