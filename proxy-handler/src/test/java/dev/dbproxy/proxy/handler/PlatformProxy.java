package dev.dbproxy.proxy.handler;

import dev.dbproxy.lambda.platform.FunctionDefinition;
import dev.dbproxy.lambda.platform.LocalLambdaPlatform;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaAsyncClient;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.LogType;

/**
 * The proxy deployed on a local Lambda platform and invoked over HTTP, with the real AWS SDK or, as a caller in any
 * language would, with a plain HTTP client.
 */
final class PlatformProxy implements AutoCloseable {

    static final String FUNCTION = "db-proxy";
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final LocalLambdaPlatform platform;
    private final LambdaAsyncClient lambda;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(WAIT).build();

    private PlatformProxy(LocalLambdaPlatform platform, LambdaAsyncClient lambda) {
        this.platform = platform;
        this.lambda = lambda;
    }

    /** A platform hosting {@link DbProxyHandler} as {@link #FUNCTION} with these environment variables. */
    static PlatformProxy start(Map<String, String> environment) {
        PlatformProxy proxy = start();
        proxy.deploy(FUNCTION, environment);
        return proxy;
    }

    /** A platform with no function deployed yet. */
    static PlatformProxy start() {
        LocalLambdaPlatform platform = LocalLambdaPlatform.start();
        LambdaAsyncClient lambda = LambdaAsyncClient.builder()
                .endpointOverride(platform.invokeEndpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClientBuilder(NettyNioAsyncHttpClient.builder().readTimeout(WAIT))
                .overrideConfiguration(configuration -> configuration.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
        return new PlatformProxy(platform, lambda);
    }

    LocalLambdaPlatform platform() {
        return platform;
    }

    /** Deploys {@link DbProxyHandler} under this name with these environment variables. */
    void deploy(String name, Map<String, String> environment) {
        platform.deploy(FunctionDefinition.builder(name, DbProxyHandler.class.getName())
                .timeout(Duration.ofSeconds(10)).environment(environment).build());
    }

    /** Invokes {@link #FUNCTION} synchronously with the log tail requested (test code: it may wait). */
    InvokeResponse invoke(byte[] payload) {
        return invoke(FUNCTION, payload);
    }

    /** Invokes that function synchronously with the log tail requested (test code: it may wait). */
    InvokeResponse invoke(String name, byte[] payload) {
        return lambda.invoke(request -> request.functionName(name).logType(LogType.TAIL)
                .payload(SdkBytes.fromByteArray(payload))).orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
    }

    /**
     * Posts the payload to the Invoke API of {@link #FUNCTION} (a synchronous invoke:
     * {@code POST /2015-03-31/functions/db-proxy/invocations}) with the JDK's HTTP client: no AWS SDK and no Java
     * adapter, exactly the bytes given.
     */
    HttpResponse<byte[]> invokeOverHttp(byte[] payload) {
        URI invocations = URI.create(platform.invokeEndpoint() + "/2015-03-31/functions/" + FUNCTION + "/invocations");
        HttpRequest request = HttpRequest.newBuilder(invocations).timeout(WAIT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(payload))
                .build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while invoking " + FUNCTION, e);
        }
    }

    @Override
    public void close() {
        http.close();
        lambda.close();
        platform.close();
    }
}
