package dev.dbproxy.proxy.client;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.dbproxy.lambda.environment.snapstart.LambdaRuntimeCheckpoint;
import dev.dbproxy.lambda.platform.FunctionDefinition;
import dev.dbproxy.lambda.platform.LocalLambdaPlatform;
import dev.dbproxy.localmongodb.EmbeddedMongoDb;
import dev.dbproxy.proxy.protocol.ExtendedJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The client around a SnapStart snapshot, driven in one JVM through the Lambda runtime's own CRaC context (this
 * module's Failsafe launches the JVM as Lambda launches a SnapStart environment), against the local platform's Invoke
 * API with the real DB proxy and the embedded MongoDB. The client's connections to the Invoke API are counted from
 * the kernel's socket table: established TCP connections whose far end is the Invoke API's port.
 */
class DbProxyClientSnapStartIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String PROXY = "snapstart-proxy";

    private static EmbeddedMongoDb db;
    private static LocalLambdaPlatform platform;

    @BeforeAll
    static void startStack() {
        db = EmbeddedMongoDb.start();
        platform = LocalLambdaPlatform.start();
        FunctionDefinition.Builder function = FunctionDefinition.builder(PROXY,
                        "dev.dbproxy.proxy.handler.DbProxyHandler")
                .memoryMb(512)
                .timeout(Duration.ofSeconds(6))
                .reservedConcurrency(2);
        Map.of("MONGODB_URI", db.connectionString(),
                "PROXY_ALLOWED_DATABASE", "shop",
                "PROXY_ALLOWED_COLLECTIONS", "orders",
                "PROXY_ALLOWED_ACTIONS", "countDocuments,insertOne")
                .forEach(function::environmentVariable);
        platform.deploy(function.build());
    }

    @AfterAll
    static void stopStack() {
        platform.close();
        db.close();
    }

    @Test
    void checkpoint_closesTheLambdaClientsConnections_restoreDrawsNewRequestIds_andTheNextCallReconnects()
            throws Exception {
        DbProxySettings settings = DbProxySettings.fromEnv(Map.of("DB_PROXY_FUNCTION", PROXY,
                "AWS_ENDPOINT_URL_LAMBDA", platform.invokeEndpoint().toString(),
                "AWS_ACCESS_KEY_ID", "local", "AWS_SECRET_ACCESS_KEY", "local"));
        int invokePort = platform.invokeEndpoint().getPort();
        try (DbProxyClient proxy = DbProxyClient.create(settings)) {
            ProxyCollection orders = proxy.database("shop").collection("orders");
            proxy.warmUp().block(WAIT);
            assertEquals(0L, orders.countDocuments(JsonNodeFactory.instance.objectNode()).block(WAIT));
            assertTrue(connectionsTo(invokePort) > 0, "init connected to the Invoke API");
            String snapshotPrefix = proxy.ownRequestIdPrefix();

            LambdaRuntimeCheckpoint.checkpoint();
            await().atMost(WAIT).until(() -> connectionsTo(invokePort) == 0);
            LambdaRuntimeCheckpoint.restore();
            assertEquals(0, connectionsTo(invokePort), "a restored environment connects on first use");
            assertNotEquals(snapshotPrefix, proxy.ownRequestIdPrefix(),
                    "every restored environment leads its own request ids with its own random prefix");

            assertEquals("665f1c2e8a1b2c3d4e5f6a01", ExtendedJson.readObjectId(
                    orders.insertOne(JsonNodeFactory.instance.objectNode().set("_id",
                            ExtendedJson.objectId("665f1c2e8a1b2c3d4e5f6a01")))
                            .block(WAIT)), "the next call works");
            assertEquals(1L, orders.countDocuments(JsonNodeFactory.instance.objectNode()).block(WAIT));
            assertTrue(connectionsTo(invokePort) > 0, "and reconnected");
            assertEquals(3, proxy.metrics().invocations(), "two counts and one insert, no failed attempt");
        }
        await().atMost(WAIT).until(() -> connectionsTo(invokePort) == 0);
    }

    /** Established TCP connections of this machine whose remote port is {@code port} (IPv4 and IPv6 tables). */
    private static long connectionsTo(int port) {
        String remotePort = ":" + String.format(Locale.ROOT, "%04X", port);
        return Stream.of("/proc/net/tcp", "/proc/net/tcp6").mapToLong(table -> {
            try {
                return Files.readAllLines(Path.of(table)).stream().skip(1)
                        .map(line -> line.trim().split("\\s+"))
                        .filter(fields -> fields[2].endsWith(remotePort) && fields[3].equals("01"))
                        .count();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).sum();
    }
}
