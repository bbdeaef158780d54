package dev.dbproxy.proxy.client.internal;

import java.time.Duration;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.http.crt.AwsCrtAsyncHttpClient;

/**
 * The AWS CRT HTTP client as {@link LambdaClients} configures it. A class of its own so that only a function that asks
 * for the CRT loads (and needs) {@code aws-crt-client}: its caller checks that it is there first.
 */
final class AwsCrtHttpClients {

    private AwsCrtHttpClients() {
    }

    /** A builder the SDK builds the client from, and so closes it with its own client. */
    static SdkAsyncHttpClient.Builder<?> builder(Duration connectTimeout) {
        return AwsCrtAsyncHttpClient.builder().connectionTimeout(connectTimeout);
    }
}
