package dev.dbproxy.proxy.client.internal;

import software.amazon.awssdk.services.lambda.LambdaAsyncClient;

/**
 * The Lambda client a DB proxy client invokes the proxy with, and what releasing it takes: closing it and its event
 * loop when the DB proxy client built them, nothing when its caller owns it.
 *
 * @param lambda  the client
 * @param release closes what the DB proxy client built
 */
public record ProxyLambdaClient(LambdaAsyncClient lambda, Runnable release) {

    /** A client its caller owns and closes. */
    public static ProxyLambdaClient borrowed(LambdaAsyncClient lambda) {
        return new ProxyLambdaClient(lambda, () -> { });
    }

    /** Releases what the DB proxy client built. */
    public void close() {
        release.run();
    }
}
