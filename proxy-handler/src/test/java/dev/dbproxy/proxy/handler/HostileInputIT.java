package dev.dbproxy.proxy.handler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import dev.dbproxy.localmongodb.EmbeddedMongoDb;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import reactor.core.publisher.Flux;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;

/**
 * NoSQL injection attempts sent as raw JSON through the real Invoke API (AWS SDK v2 → local Lambda platform → the
 * proxy → the embedded MongoDB server): each is refused with its documented code, and every collection of the database
 * is the same afterwards.
 */
class HostileInputIT {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private static EmbeddedMongoDb mongoDb;
    private static MongoClient verifier;
    private static PlatformProxy proxy;

    @BeforeAll
    static void start() {
        mongoDb = EmbeddedMongoDb.start();
        verifier = MongoClients.create(mongoDb.connectionString());
        Flux.from(verifier.getDatabase("app").getCollection("notes").insertMany(List.of(
                new Document("_id", "n1").append("owner", "u1").append("title", "mine"),
                new Document("_id", "n2").append("owner", "u2").append("title", "theirs")))).blockLast(WAIT);
        Flux.from(verifier.getDatabase("app").getCollection("locked")
                .insertOne(new Document("_id", "l1").append("owner", "nobody"))).blockLast(WAIT);
        proxy = PlatformProxy.start(HandlerInvoker.environment(mongoDb.connectionString()));
    }

    @AfterAll
    static void stop() {
        proxy.close();
        verifier.close();
        mongoDb.close();
    }

    /** (what, raw payload, documented code, whether the whole request is refused rather than operation 0). */
    static Stream<Arguments> attempts() {
        List<Arguments> attempts = new ArrayList<>();
        ForbiddenOperations.all().forEach(forbidden -> attempts.add(Arguments.of(forbidden.get()[0],
                HandlerInvoker.request((String) forbidden.get()[1]), "FORBIDDEN", false)));
        attempts.add(Arguments.of("$where hidden in an _id filter of deleteOne", HandlerInvoker.request(
                HandlerInvoker.op("deleteOne", "\"filter\": {\"_id\": {\"$where\": \"true\"}}")), "FORBIDDEN", false));
        attempts.add(Arguments.of("$where inside $nor/$not of updateMany", HandlerInvoker.request(HandlerInvoker.op(
                "updateMany", "\"filter\": {\"$nor\": [{\"a\": {\"$not\": {\"$where\": \"1\"}}}]},"
                        + " \"update\": {\"$set\": {\"owner\": \"attacker\"}}")), "FORBIDDEN", false));
        attempts.add(Arguments.of("deleteMany on a collection outside the allowlist", HandlerInvoker.request(
                "{\"action\": \"deleteMany\", \"database\": \"app\", \"collection\": \"locked\", \"filter\": {}}"),
                "FORBIDDEN", false));
        attempts.add(Arguments.of("$merge into the locked collection", HandlerInvoker.request(HandlerInvoker.op(
                "aggregate", "\"pipeline\": [{\"$merge\": {\"into\": \"locked\", \"whenMatched\": \"replace\"}}]")),
                "FORBIDDEN", false));
        attempts.add(Arguments.of("$unionWith pipeline reading the locked collection", HandlerInvoker.request(
                HandlerInvoker.op("aggregate", "\"pipeline\": [{\"$unionWith\": {\"coll\": \"locked\"}}]")),
                "FORBIDDEN", false));
        attempts.add(Arguments.of("an operator where a field name belongs in replaceOne", HandlerInvoker.request(
                HandlerInvoker.op("replaceOne", "\"filter\": {\"_id\": \"n1\"}, \"replacement\": {\"$set\": {\"x\": 1}}")),
                "VALIDATION", true));
        attempts.add(Arguments.of("an operator object as the _id of an inserted document (found by Jazzer)",
                HandlerInvoker.request(HandlerInvoker.op("insertOne", "\"document\": {\"_id\": {\"$ne\": null}}")),
                "VALIDATION", false));
        attempts.add(Arguments.of("an operator field nested in a replacement document", HandlerInvoker.request(
                HandlerInvoker.op("replaceOne", "\"filter\": {\"_id\": \"n1\"},"
                        + " \"replacement\": {\"owner\": {\"$gt\": \"\"}}")), "VALIDATION", false));
        attempts.add(Arguments.of("an empty update document", HandlerInvoker.request(HandlerInvoker.op("updateMany",
                "\"filter\": {}, \"update\": {}")), "VALIDATION", true));
        attempts.add(Arguments.of("duplicate key: collection named twice", """
                {"version": 1, "requestId": "dup", "deadlineEpochMillis": 4102444800000, "operations": [
                 {"action": "deleteMany", "database": "app", "collection": "notes", "collection": "locked",
                  "filter": {}}]}""", "VALIDATION", true));
        attempts.add(Arguments.of("duplicate key inside a filter", HandlerInvoker.request(HandlerInvoker.op(
                "deleteMany", "\"filter\": {\"_id\": \"none\", \"_id\": {\"$exists\": true}}")), "VALIDATION", true));
        attempts.add(Arguments.of("deeply nested filter (5000 levels)", HandlerInvoker.request(HandlerInvoker.op(
                "find", "\"filter\": " + "{\"$and\": [".repeat(5000) + "{}" + "]}".repeat(5000))),
                "VALIDATION", true));
        attempts.add(Arguments.of("huge $in array (over the 1 MiB request limit)", HandlerInvoker.request(
                HandlerInvoker.op("deleteMany", "\"filter\": {\"_id\": {\"$in\": [" + IntStream.range(0, 200_000)
                        .mapToObj(Integer::toString).collect(Collectors.joining(",")) + "]}}")), "VALIDATION", true));
        attempts.add(Arguments.of("huge batch of deletes", HandlerInvoker.request(IntStream.range(0, 1000)
                .mapToObj(i -> HandlerInvoker.op("deleteOne", "\"filter\": {}")).collect(Collectors.joining(","))),
                "VALIDATION", true));
        attempts.add(Arguments.of("limit out of range", HandlerInvoker.request(HandlerInvoker.op("find",
                "\"limit\": 1e400")), "VALIDATION", true));
        attempts.add(Arguments.of("deadline out of range", """
                {"version": 1, "requestId": "big", "deadlineEpochMillis": 99999999999999999999999999, "operations": [
                 {"action": "deleteMany", "database": "app", "collection": "notes", "filter": {}}]}""",
                "VALIDATION", true));
        attempts.add(Arguments.of("$numberLong out of range in a filter", HandlerInvoker.request(HandlerInvoker.op(
                "deleteMany", "\"filter\": {\"n\": {\"$numberLong\": \"99999999999999999999\"}}")), "VALIDATION", false));
        attempts.add(Arguments.of("Data API field dataSource", """
                {"version": 1, "requestId": "ds", "deadlineEpochMillis": 4102444800000, "operations": [
                 {"action": "deleteMany", "dataSource": "Cluster0", "database": "app", "collection": "notes",
                  "filter": {}}]}""", "VALIDATION", true));
        return attempts.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("attempts")
    void injectionAttempt_isRefusedWithItsCode_andChangesNoData(String what, String payload, String code,
                                                                boolean wholeRequest) {
        assertRefused(what, payload.getBytes(StandardCharsets.UTF_8), code, wholeRequest);
    }

    @ParameterizedTest(name = "invalid UTF-8 {0}")
    @MethodSource("invalidUtf8")
    void invalidUtf8_isRefusedWithValidation_andChangesNoData(String what, byte[] payload) {
        assertRefused(what, payload, "VALIDATION", true);
    }

    static Stream<Arguments> invalidUtf8() {
        byte[] prefix = "{\"version\": 1, \"requestId\": \"".getBytes(StandardCharsets.UTF_8);
        byte[] suffix = ("\", \"deadlineEpochMillis\": 4102444800000, \"operations\": [{\"action\": \"deleteMany\","
                + " \"database\": \"app\", \"collection\": \"notes\", \"filter\": {}}]}").getBytes(StandardCharsets.UTF_8);
        return Stream.of(
                Arguments.of("lone continuation byte", concat(prefix, new byte[] {(byte) 0x80}, suffix)),
                Arguments.of("overlong NUL", concat(prefix, new byte[] {(byte) 0xC0, (byte) 0x80}, suffix)),
                Arguments.of("truncated sequence", concat(prefix, new byte[] {(byte) 0xE2, (byte) 0x82}, suffix)),
                Arguments.of("bytes FF FE", concat(prefix, new byte[] {(byte) 0xFF, (byte) 0xFE}, suffix)));
    }

    private static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        byte[] all = new byte[length];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }

    private static void assertRefused(String what, byte[] payload, String code, boolean wholeRequest) {
        Map<String, List<Document>> before = snapshot();

        InvokeResponse invoked = proxy.invoke(payload);

        assertNull(invoked.functionError(), () -> what + ": the proxy crashed: " + invoked.payload().asUtf8String());
        JsonNode response = HandlerInvoker.json(invoked.payload().asUtf8String());
        JsonNode error = wholeRequest ? HandlerInvoker.rejection(response) : HandlerInvoker.error(response, 0);
        assertEquals(code, error.path("code").asText(), () -> what + ": " + response);
        response.path("results").forEach(outcome -> assertNotEquals("ok", outcome.path("status").asText(), what));
        assertEquals(before, snapshot(), what + ": the data changed");
    }

    /** Every document of every collection of database app, in _id order. */
    private static Map<String, List<Document>> snapshot() {
        Map<String, List<Document>> snapshot = new TreeMap<>();
        Flux.from(verifier.getDatabase("app").listCollectionNames()).toStream().forEach(name ->
                snapshot.put(name, Flux.from(verifier.getDatabase("app").getCollection(name).find()
                        .sort(new Document("_id", 1))).collectList().block(WAIT)));
        assertEquals(true, snapshot.keySet().containsAll(List.of("notes", "locked")), snapshot::toString);
        return snapshot;
    }
}
