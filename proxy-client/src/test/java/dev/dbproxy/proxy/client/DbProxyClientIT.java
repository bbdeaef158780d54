package dev.dbproxy.proxy.client;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dbproxy.lambda.environment.snapstart.LambdaRuntimeCheckpoint;
import dev.dbproxy.lambda.platform.LocalLambdaPlatform;
import dev.dbproxy.localmongodb.EmbeddedMongoDb;
import dev.dbproxy.proxy.client.DbProxyException.Kind;
import dev.dbproxy.proxy.protocol.ErrorCode;
import dev.dbproxy.proxy.protocol.ExtendedJson;
import dev.dbproxy.proxy.protocol.OperationOutcome;
import dev.dbproxy.proxy.protocol.OperationResult;
import dev.dbproxy.proxy.protocol.ProxyOperation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The client against the real path: the local Lambda platform's Invoke API (real AWS SDK over HTTP), the real
 * {@code DbProxyHandler} and the embedded MongoDB, on a collection that is not the notes': {@code shop.orders}.
 */
class DbProxyClientIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final String PROXY = "shop-proxy";

    private static EmbeddedMongoDb db;
    private static LocalLambdaPlatform platform;
    private static DbProxyClient proxy;
    private static ProxyCollection orders;

    @BeforeAll
    static void startStack() {
        db = EmbeddedMongoDb.start();
        platform = LocalLambdaPlatform.start();
        platform.deploy(ShopOrdersProxy.builder(PROXY, db, "find,findOne,countDocuments,insertOne,insertMany,"
                        + "updateOne,updateMany,replaceOne,deleteOne,deleteMany,aggregate")
                .environmentVariable("MONGODB_SERVER_SELECTION_TIMEOUT_MS", "500")
                .build());
        proxy = DbProxyClient.create(settings().withBatchWindow(Duration.ofSeconds(1)));
        orders = proxy.database("shop").collection("orders");
    }

    @AfterAll
    static void stopStack() {
        proxy.close();
        platform.close();
        db.close();
    }

    @BeforeEach
    void emptyTheCollection() {
        orders.deleteMany(JSON.objectNode()).block(WAIT);
    }

    private static DbProxySettings settings() {
        return DbProxySettings.fromEnv(Map.of("DB_PROXY_FUNCTION", PROXY,
                "AWS_ENDPOINT_URL_LAMBDA", platform.invokeEndpoint().toString(),
                "AWS_ACCESS_KEY_ID", "local", "AWS_SECRET_ACCESS_KEY", "local"));
    }

    private static ObjectNode order(String id, String customer, String total) {
        ObjectNode order = JSON.objectNode();
        order.set("_id", ExtendedJson.objectId(id));
        order.put("customer", customer);
        order.set("total", ExtendedJson.decimal128(new BigDecimal(total)));
        order.set("placedAt", ExtendedJson.date(Instant.parse("2026-12-07T10:00:00Z")));
        return order;
    }

    private static ObjectNode filter(String field, JsonNode value) {
        ObjectNode filter = JSON.objectNode();
        filter.set(field, value);
        return filter;
    }

    private static final String A = "665f1c2e8a1b2c3d4e5f6a01";
    private static final String B = "665f1c2e8a1b2c3d4e5f6a02";
    private static final String C = "665f1c2e8a1b2c3d4e5f6a03";

    @Test
    void everyAction_runsOnAnyCollection_withTypedValuesKept() {
        assertEquals(A, ExtendedJson.readObjectId(orders.insertOne(order(A, "ada", "4.50")).block(WAIT)));
        assertEquals(2, orders.insertMany(List.of(order(B, "bob", "10.00"), order(C, "ada", "1.25"))).block(WAIT)
                .size());

        JsonNode found = orders.findOne(filter("_id", ExtendedJson.objectId(A))).block(WAIT);
        assertEquals(new BigDecimal("4.50"), ExtendedJson.readDecimal128(found.get("total")));
        assertEquals(Instant.parse("2026-12-07T10:00:00Z"), ExtendedJson.readDate(found.get("placedAt")));
        assertEquals(null, orders.findOne(filter("customer", JSON.textNode("nobody"))).block(WAIT));

        List<JsonNode> adas = orders.find(filter("customer", JSON.textNode("ada")), FindOptions.none()
                .withSort(JSON.objectNode().put("_id", -1)).withProjection(JSON.objectNode().put("customer", 1))
                .withLimit(1)).collectList().block(WAIT);
        assertEquals(1, adas.size());
        assertEquals(C, ExtendedJson.readObjectId(adas.getFirst().get("_id")));
        assertFalse(adas.getFirst().has("total"), "projected away");
        assertEquals(2L, orders.countDocuments(filter("customer", JSON.textNode("ada"))).block(WAIT));

        ObjectNode paid = JSON.objectNode();
        paid.putObject("$set").put("paid", true);
        OperationResult.Updated one = orders.updateOne(filter("_id", ExtendedJson.objectId(A)), paid).block(WAIT);
        assertEquals(1, one.matchedCount());
        OperationResult.Updated many = orders.updateMany(filter("customer", JSON.textNode("ada")), paid, false)
                .block(WAIT);
        assertEquals(2, many.matchedCount());
        assertEquals(1, many.modifiedCount(), "A was paid already");
        OperationResult.Updated replaced = orders.replaceOne(filter("_id", ExtendedJson.objectId(B)),
                order(B, "bob", "11.00"), false).block(WAIT);
        assertEquals(1, replaced.modifiedCount());

        ObjectNode group = JSON.objectNode();
        group.putObject("$group").put("_id", "$customer").putObject("orders").put("$sum", 1);
        List<JsonNode> perCustomer = orders.aggregate(List.of(group, (ObjectNode) JSON.objectNode()
                .set("$sort", JSON.objectNode().put("_id", 1)))).collectList().block(WAIT);
        assertEquals(List.of("ada", "bob"), perCustomer.stream().map(row -> row.get("_id").asText()).toList());

        assertEquals(1L, orders.deleteOne(filter("_id", ExtendedJson.objectId(B))).block(WAIT));
        assertEquals(2L, orders.deleteMany(filter("customer", JSON.textNode("ada"))).block(WAIT));
        assertEquals(0L, orders.countDocuments(JSON.objectNode()).block(WAIT));
    }

    @Test
    void insertingTheSameDocumentAgain_succeeds_whileAnotherDocumentWithItsId_isRefusedAsDuplicateKey() {
        orders.insertOne(order(A, "ada", "4.50")).block(WAIT);

        assertEquals(A, ExtendedJson.readObjectId(orders.insertOne(order(A, "ada", "4.50")).block(WAIT)));
        DbProxyException duplicate = assertThrows(DbProxyException.class,
                () -> orders.insertOne(order(A, "eve", "0.01")).block(WAIT));

        assertEquals(Kind.REFUSED, duplicate.kind());
        assertTrue(duplicate.hasProxyCode(ErrorCode.DUPLICATE_KEY), duplicate.getMessage());
        assertFalse(duplicate.mayHaveApplied());
        assertFalse(duplicate.isRetryable());
    }

    @Test
    void anOrderedBatch_skipsWhatFollowsAFailure_andAnUnorderedOne_runsEverything() {
        orders.insertOne(order(A, "ada", "4.50")).block(WAIT);
        List<ProxyOperation> batch = List.of(
                ProxyOperation.insertOne(orders.namespace(), order(A, "eve", "0.01")),
                ProxyOperation.insertOne(orders.namespace(), order(B, "bob", "10.00")));

        List<OperationOutcome> ordered = proxy.orderedBatch(batch).block(WAIT);
        assertInstanceOf(OperationOutcome.Failed.class, ordered.get(0));
        assertInstanceOf(OperationOutcome.Skipped.class, ordered.get(1));
        assertEquals(1L, orders.countDocuments(JSON.objectNode()).block(WAIT));

        List<OperationOutcome> unordered = proxy.unorderedBatch(batch).block(WAIT);
        assertInstanceOf(OperationOutcome.Failed.class, unordered.get(0));
        assertEquals(B, ExtendedJson.readObjectId(OperationResults.require(unordered.get(1),
                OperationResult.InsertedOne.class).insertedId()));
        assertEquals(2L, orders.countDocuments(JSON.objectNode()).block(WAIT));
    }

    @Test
    void tenConcurrentReadsOfOneInvocation_shareOneProxyInvocation_andEachGetsItsOwnAnswer() {
        orders.insertMany(List.of(order(A, "ada", "1"), order(B, "bob", "2"), order(C, "cy", "3"))).block(WAIT);
        ProxyClientMetrics before = proxy.metrics();
        long invocationsBefore = platform.metrics(PROXY).invocations();
        InvocationContext invocation = InvocationContext.of("invocation-1", 10_000);

        List<String> customers = Flux.range(0, 10)
                .flatMap(i -> orders.findOne(filter("_id", ExtendedJson.objectId(List.of(A, B, C).get(i % 3))))
                        .map(found -> i + ":" + found.get("customer").asText()))
                .contextWrite(invocation::into)
                .collectSortedList().block(WAIT);

        assertEquals(10, customers.size());
        assertTrue(customers.contains("4:bob") && customers.contains("9:ada"), customers.toString());
        ProxyClientMetrics after = proxy.metrics();
        assertEquals(1, after.invocations() - before.invocations());
        assertEquals(10, after.operations() - before.operations());
        assertEquals(1, after.coalescedInvocations() - before.coalescedInvocations());
        assertEquals(1, platform.metrics(PROXY).invocations() - invocationsBefore);
    }

    @Test
    void callsOfDifferentInvocations_neverShareAProxyInvocation() {
        ProxyClientMetrics before = proxy.metrics();

        Mono.zip(orders.countDocuments(JSON.objectNode()).contextWrite(InvocationContext.of("first", 10_000)::into),
                orders.countDocuments(JSON.objectNode()).contextWrite(InvocationContext.of("second", 10_000)::into))
                .block(WAIT);

        assertEquals(2, proxy.metrics().invocations() - before.invocations());
    }

    @Test
    void aCallMadeAfterItsInvocationsDeadline_failsAsTimeout_withoutInvokingTheProxy() {
        ProxyClientMetrics before = proxy.metrics();
        InvocationContext late = new InvocationContext("late", Instant.now().minusMillis(1));

        DbProxyException timeout = assertThrows(DbProxyException.class, () -> orders.insertOne(order(A, "ada", "1"))
                .contextWrite(late::into).block(WAIT));

        assertEquals(Kind.TIMEOUT, timeout.kind());
        assertFalse(timeout.mayHaveApplied(), "nothing was sent");
        assertEquals(before.invocations(), proxy.metrics().invocations());
        assertEquals(0L, orders.countDocuments(JSON.objectNode()).block(WAIT));
    }

    @Test
    void aThrottledCallOfAnInvocation_retriesUntilJustBeforeTheInvocationsDeadline_notTheClientsShorterBudget() {
        platform.deploy(ShopOrdersProxy.builder("throttled-proxy", db, "countDocuments").reservedConcurrency(0).build());
        DbProxySettings base = settings();
        DbProxySettings shortBudget = new DbProxySettings("throttled-proxy", base.region(), base.endpoint(),
                base.credentials(), base.invokeTimeout(), Duration.ofMillis(100), DbProxySettings.UNTIL_THE_DEADLINE,
                Duration.ZERO, 25);
        Instant deadline = Instant.now().plusMillis(1_500);
        try (DbProxyClient throttledProxy = DbProxyClient.create(shortBudget)) {
            DbProxyException throttled = assertThrows(DbProxyException.class, () -> throttledProxy.database("shop")
                    .collection("orders").countDocuments(JSON.objectNode())
                    .contextWrite(new InvocationContext("patient", deadline)::into).block(WAIT));

            assertEquals(Kind.THROTTLED, throttled.kind());
            Instant gaveUp = Instant.now();
            assertTrue(gaveUp.isAfter(deadline.minusMillis(300)), "gave up at " + gaveUp + ", its invocation's"
                    + " deadline was " + deadline);
            assertTrue(throttledProxy.metrics().throttleRetries() >= 3, throttledProxy.metrics().toString());
        }
    }

    @Test
    void anActionThePolicyRefuses_failsAsRefusedForbidden_andChangesNothing() {
        ProxyCollection elsewhere = proxy.database("shop").collection("customers");

        DbProxyException forbidden = assertThrows(DbProxyException.class,
                () -> elsewhere.insertOne(order(A, "ada", "1")).block(WAIT));

        assertEquals(Kind.REFUSED, forbidden.kind());
        assertTrue(forbidden.hasProxyCode(ErrorCode.FORBIDDEN), forbidden.getMessage());
        assertEquals(0L, orders.countDocuments(JSON.objectNode()).block(WAIT));
    }

    @Test
    void aWriteWhileTheDatabaseIsDown_failsAsUnavailable_sayingItMayHaveApplied_whileAReadSaysNot() {
        db.stop();
        try {
            DbProxyException write = assertThrows(DbProxyException.class,
                    () -> orders.insertOne(order(A, "ada", "1")).block(WAIT));
            DbProxyException read = assertThrows(DbProxyException.class,
                    () -> orders.countDocuments(JSON.objectNode()).block(WAIT));

            assertEquals(Kind.UNAVAILABLE, write.kind());
            assertTrue(write.hasProxyCode(ErrorCode.DATABASE_UNAVAILABLE));
            assertTrue(write.isRetryable());
            assertTrue(write.mayHaveApplied());
            assertEquals(Kind.UNAVAILABLE, read.kind());
            assertFalse(read.mayHaveApplied());
        } finally {
            db.restart();
        }
    }

    @Test
    void anUnknownProxyFunction_warmsUpAnyway_andTheFirstCallFailsAsPermanent() {
        DbProxySettings base = settings();
        DbProxySettings unknownFunction = new DbProxySettings("no-such-function", base.region(), base.endpoint(),
                base.credentials(), base.invokeTimeout(), base.deadline(), 1, Duration.ZERO, 25);
        try (DbProxyClient unknown = DbProxyClient.create(unknownFunction)) {
            unknown.warmUp().block(WAIT);

            DbProxyException missing = assertThrows(DbProxyException.class, () -> unknown.database("shop")
                    .collection("orders").countDocuments(JSON.objectNode()).block(WAIT));

            assertEquals(Kind.PERMANENT, missing.kind());
            assertTrue(missing.getMessage().contains("no-such-function"), missing.getMessage());
        }
    }

    @Test
    void aroundASnapStartSnapshot_noConnectionSurvives_requestIdsChange_andTheNextCallReconnects() throws Exception {
        // Driven through the Lambda runtime's own CRaC context: this module's Failsafe launches the JVM as Lambda
        // launches a SnapStart environment. A first checkpoint leaves no client of this class connected.
        int invokePort = platform.invokeEndpoint().getPort();
        LambdaRuntimeCheckpoint.checkpoint();
        await().atMost(WAIT).until(() -> connectionsTo(invokePort) == 0);
        LambdaRuntimeCheckpoint.restore();
        try (DbProxyClient restored = DbProxyClient.create(settings())) {
            ProxyCollection restoredOrders = restored.database("shop").collection("orders");
            restored.warmUp().block(WAIT);
            assertEquals(0L, restoredOrders.countDocuments(JSON.objectNode()).block(WAIT));
            assertTrue(connectionsTo(invokePort) > 0, "init connected to the Invoke API");
            String snapshotPrefix = restored.ownRequestIdPrefix();

            LambdaRuntimeCheckpoint.checkpoint();
            await().atMost(WAIT).until(() -> connectionsTo(invokePort) == 0);
            LambdaRuntimeCheckpoint.restore();
            assertEquals(0, connectionsTo(invokePort), "a restored environment connects on first use");
            assertNotEquals(snapshotPrefix, restored.ownRequestIdPrefix(),
                    "every restored environment leads its own request ids with its own random prefix");

            assertEquals(A, ExtendedJson.readObjectId(restoredOrders.insertOne(order(A, "ada", "4.50")).block(WAIT)),
                    "the next call works");
            assertEquals(1L, restoredOrders.countDocuments(JSON.objectNode()).block(WAIT));
            assertTrue(connectionsTo(invokePort) > 0, "and reconnected");
            assertEquals(3, restored.metrics().invocations(), "two counts and one insert, no failed attempt");
        }
    }

    /**
     * Established TCP connections of this machine whose remote port is {@code port}, from the kernel's socket tables
     * (IPv4 and IPv6): what the Invoke API's side holds open.
     */
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
