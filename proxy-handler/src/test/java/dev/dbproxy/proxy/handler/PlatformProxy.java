package dev.dbproxy.proxy.handler;

import dev.dbproxy.lambda.platform.FunctionDefinition;
import dev.dbproxy.lambda.platform.LocalLambdaPlatform;
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

/** The proxy deployed on a local Lambda platform and invoked with the real AWS SDK over HTTP. */
final class PlatformProxy implements AutoCloseable {

    static final String FUNCTION = "db-proxy";
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final LocalLambdaPlatform platform;
    private final LambdaAsyncClient lambda;

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

    @Override
    public void close() {
        lambda.close();
        platform.close();
    }
}
