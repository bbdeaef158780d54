package dev.dbproxy.proxy.handler;

import dev.dbproxy.lambda.platform.FunctionDefinition;
import dev.dbproxy.lambda.platform.LocalLambdaPlatform;
import java.time.Duration;
import java.util.Map;
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

    /** A platform hosting {@link DbProxyHandler} with these environment variables. */
    static PlatformProxy start(Map<String, String> environment) {
        LocalLambdaPlatform platform = LocalLambdaPlatform.start();
        platform.deploy(FunctionDefinition.builder(FUNCTION, DbProxyHandler.class.getName())
                .timeout(Duration.ofSeconds(10)).environment(environment).build());
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

    /** Invokes the proxy synchronously with the log tail requested (test code: it may wait). */
    InvokeResponse invoke(byte[] payload) {
        return lambda.invoke(request -> request.functionName(FUNCTION).logType(LogType.TAIL)
                .payload(SdkBytes.fromByteArray(payload))).orTimeout(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)
                .join();
    }

    @Override
    public void close() {
        lambda.close();
        platform.close();
    }
}
