package dev.dbproxy.proxy.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dbproxy.lambda.platform.LocalLambdaPlatform;
import dev.dbproxy.localmongodb.EmbeddedMongoDb;
import dev.dbproxy.proxy.client.DbProxyException.Kind;
import dev.dbproxy.proxy.protocol.ExtendedJson;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

/**
 * The client on the AWS CRT HTTP client ({@code DB_PROXY_HTTP_CLIENT=crt}) against the local platform's Invoke API,
 * the real {@code DbProxyHandler} and the embedded MongoDB: answers, throttles and transport failures reach the
 * caller as they do on the JDK's client (DbProxyClientIT), and a transport failure shows that the CRT carried it.
 */
class CrtHttpClientIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final String PROXY = "shop-proxy-on-crt";
    private static final String CRT_PACKAGE = "software.amazon.awssdk.crt.";
    private static final String ORDER = "665f1c2e8a1b2c3d4e5f6b01";

    private static EmbeddedMongoDb db;
    private static LocalLambdaPlatform platform;

    @BeforeAll
    static void startStack() {
        db = EmbeddedMongoDb.start();
        platform = LocalLambdaPlatform.start();
        platform.deploy(ShopOrdersProxy.builder(PROXY, db, "findOne,insertOne").build());
        platform.deploy(ShopOrdersProxy.builder("throttled-proxy-on-crt", db, "findOne").reservedConcurrency(0).build());
    }

    @AfterAll
    static void stopStack() {
        platform.close();
        db.close();
    }

    private static DbProxySettings settings(String function, URI endpoint) {
        return DbProxySettings.fromEnv(Map.of("DB_PROXY_FUNCTION", function, "DB_PROXY_HTTP_CLIENT", "crt",
                "AWS_ENDPOINT_URL_LAMBDA", endpoint.toString(),
                "AWS_ACCESS_KEY_ID", "local", "AWS_SECRET_ACCESS_KEY", "local"));
    }

    private static Stream<Throwable> causes(Throwable failure) {
        return Stream.iterate(failure, Objects::nonNull, Throwable::getCause);
    }

    private static ObjectNode byId(String id) {
        ObjectNode filter = JSON.objectNode();
        filter.set("_id", ExtendedJson.objectId(id));
        return filter;
    }

    @Test
    void aWriteAndConcurrentReads_goThroughTheCrtClient_andEachReadGetsTheDocument() {
        try (DbProxyClient proxy = DbProxyClient.create(settings(PROXY, platform.invokeEndpoint()))) {
            ProxyCollection orders = proxy.database("shop").collection("orders");
            ObjectNode order = byId(ORDER).put("customer", "ada");

            assertEquals(ORDER, ExtendedJson.readObjectId(orders.insertOne(order).block(WAIT)));
            List<JsonNode> found = Flux.range(0, 8).flatMap(i -> orders.findOne(byId(ORDER)))
                    .contextWrite(InvocationContext.of("crt-invocation", 10_000)::into)
                    .collectList().block(WAIT);

            assertEquals(8, found.size());
            assertTrue(found.stream().allMatch(document -> "ada".equals(document.get("customer").asText())),
                    found.toString());
        }
    }

    @Test
    void aThrottledInvocation_failsAsThrottled_afterItsAttempts() {
        DbProxySettings twoAttempts = new DbProxySettings("throttled-proxy-on-crt", "us-east-1",
                settings(PROXY, platform.invokeEndpoint()).endpoint(),
                settings(PROXY, platform.invokeEndpoint()).credentials(), Duration.ofSeconds(15),
                Duration.ofSeconds(5), 2, Duration.ZERO, 25).withHttpClient(HttpClientType.CRT);
        try (DbProxyClient throttledProxy = DbProxyClient.create(twoAttempts)) {
            DbProxyException throttled = assertThrows(DbProxyException.class, () -> throttledProxy.database("shop")
                    .collection("orders").findOne(byId(ORDER)).block(WAIT));

            assertEquals(Kind.THROTTLED, throttled.kind());
            assertEquals(1, throttledProxy.metrics().throttleRetries());
        }
    }

    @Test
    void anEndpointNobodyListensOn_failsAsUnavailable_withTheCrtsErrorAsItsCause() throws Exception {
        URI closed;
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            closed = URI.create("http://127.0.0.1:" + socket.getLocalPort());
        }
        try (DbProxyClient unreachable = DbProxyClient.create(settings(PROXY, closed))) {
            DbProxyException failed = assertThrows(DbProxyException.class, () -> unreachable.database("shop")
                    .collection("orders").insertOne(byId(ORDER)).block(WAIT));

            assertEquals(Kind.UNAVAILABLE, failed.kind());
            assertTrue(causes(failed).anyMatch(cause -> cause.getClass().getName().startsWith(CRT_PACKAGE)),
                    "the CRT reported the failure: " + causes(failed).map(Throwable::toString).toList());
        }
    }
}
