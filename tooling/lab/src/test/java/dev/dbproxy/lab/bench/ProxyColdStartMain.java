package dev.dbproxy.lab.bench;

import dev.dbproxy.lambda.platform.FunctionMetrics;
import dev.dbproxy.lambda.platform.LocalLambdaPlatform;
import dev.dbproxy.localmongodb.EmbeddedMongoDb;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

/**
 * Prints what a cold start of the DB proxy function costs on the local platform: its init (class loading and the
 * handler's constructor, which builds the MongoDB client) and its first invocation (the first connection and the
 * first find), for a series of fresh execution environments, each a redeployment with its own class loader, as on
 * AWS. The first environment of the run also pays for the JDK's own classes and is printed apart.
 */
public final class ProxyColdStartMain {

    private static final int ENVIRONMENTS = 6;

    private ProxyColdStartMain() {
    }

    public static void main(String[] args) throws Exception {
        try (EmbeddedMongoDb db = EmbeddedMongoDb.start();
                LocalLambdaPlatform platform = LocalLambdaPlatform.start()) {
            platform.deploy(BenchmarkProxyFunction.on(db));
            byte[] findOne = ("{\"version\":1,\"requestId\":\"cold-start\",\"deadlineEpochMillis\":"
                    + Instant.now().plus(Duration.ofDays(1)).toEpochMilli() + ",\"ordered\":false,\"operations\":"
                    + "[{\"action\":\"findOne\",\"database\":\"notes\",\"collection\":\"notes\","
                    + "\"filter\":{\"_id\":1}}]}")
                    .getBytes(StandardCharsets.UTF_8);
            System.out.printf("DB proxy cold starts on the local platform (%d fresh environments, ms)%n", ENVIRONMENTS);
            for (int environment = 1; environment <= ENVIRONMENTS; environment++) {
                if (environment > 1) {
                    platform.redeploy(BenchmarkProxyFunction.NAME);
                }
                platform.resetMetrics();
                platform.invoke(BenchmarkProxyFunction.NAME, findOne).get();
                FunctionMetrics metrics = platform.metrics(BenchmarkProxyFunction.NAME);
                System.out.printf("  environment %d%s: init %7.1f   first invocation %7.1f%n", environment,
                        environment == 1 ? " (first in this JVM)" : "", metrics.initDuration().max(),
                        metrics.duration().max());
            }
        }
        System.exit(0);
    }
}
