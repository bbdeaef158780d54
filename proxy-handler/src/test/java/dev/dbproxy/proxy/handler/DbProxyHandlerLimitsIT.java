package dev.dbproxy.proxy.handler;

import static dev.dbproxy.proxy.handler.HandlerInvoker.error;
import static dev.dbproxy.proxy.handler.HandlerInvoker.invoke;
import static dev.dbproxy.proxy.handler.HandlerInvoker.op;
import static dev.dbproxy.proxy.handler.HandlerInvoker.opOn;
import static dev.dbproxy.proxy.handler.HandlerInvoker.rejection;
import static dev.dbproxy.proxy.handler.HandlerInvoker.request;
import static dev.dbproxy.proxy.handler.HandlerInvoker.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.event.CommandListener;
import com.mongodb.event.CommandStartedEvent;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import dev.dbproxy.localmongodb.EmbeddedMongoDb;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.bson.BsonDocument;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import reactor.core.publisher.Mono;

/** Every limit, each with its error code, and maxTimeMS derived from the deadline and the remaining time. */
class DbProxyHandlerLimitsIT {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final List<BsonDocument> COMMANDS = Collections.synchronizedList(new ArrayList<>());

    private static EmbeddedMongoDb mongoDb;
    private static DbProxyHandler handler;

    @BeforeAll
    static void start() {
        mongoDb = EmbeddedMongoDb.start();
        try (MongoClient setup = MongoClients.create(mongoDb.connectionString())) {
            List<Document> documents = new ArrayList<>();
            for (int n = 0; n < 30; n++) {
                documents.add(new Document("_id", n).append("text", "x".repeat(4_000)));
            }
            Mono.from(setup.getDatabase("app").getCollection("notes").insertMany(documents)).block(WAIT);
        }
        Map<String, String> env = HandlerInvoker.environment(mongoDb.connectionString());
        env.put(DbProxySettings.PROXY_MAX_OPERATIONS_PER_BATCH, "3");
        env.put(DbProxySettings.PROXY_DEFAULT_FIND_LIMIT, "5");
        env.put(DbProxySettings.PROXY_MAX_FIND_LIMIT, "20");
        env.put(DbProxySettings.PROXY_MAX_RESPONSE_BYTES, "65536");
        env.put(DbProxySettings.PROXY_MAX_REQUEST_BYTES, "4096");
        DbProxySettings settings = DbProxySettings.fromEnv(env);
        CommandListener recorder = new CommandListener() {
            @Override
            public void commandStarted(CommandStartedEvent event) {
                COMMANDS.add(event.getCommand().clone());
            }
        };
        com.mongodb.client.MongoClient client = com.mongodb.client.MongoClients.create(
                com.mongodb.MongoClientSettings.builder(settings.toMongoClientSettings())
                        .addCommandListener(recorder).build());
        handler = new DbProxyHandler(settings, client);
    }

    @AfterAll
    static void stop() {
        handler.close();
        mongoDb.close();
    }

    @Test
    void tooManyOperations_rejectTheRequestWithValidation_beforeAnyRuns() {
        JsonNode response = invoke(handler, request(String.join(",", Collections.nCopies(4,
                op("deleteMany", "\"filter\": {}")))));

        JsonNode error = rejection(response);
        assertEquals("VALIDATION", error.path("code").asText());
        assertTrue(error.path("message").asText().contains("at most 3"));
        assertEquals(30, result(invoke(handler, request(op("countDocuments", ""))), 0).path("count").asLong());
    }

    @Test
    void oversizedRequest_isRejectedWithValidation() {
        String big = request(op("insertOne", "\"document\": {\"_id\": \"big\", \"text\": \"" + "y".repeat(5_000)
                + "\"}"));

        JsonNode error = rejection(invoke(handler, big));

        assertEquals("VALIDATION", error.path("code").asText());
        assertTrue(error.path("message").asText().contains("4096 bytes"));
    }

    @Test
    void documentOverSixteenMegabytesAsBson_failsWithValidation_andIsNotStored() {
        Map<String, String> env = HandlerInvoker.environment(mongoDb.connectionString());
        env.put(DbProxySettings.PROXY_MAX_REQUEST_BYTES, "6291456");
        // 1.4 million zeros: 2.8 MB of JSON, 18 MB of BSON (each array element carries its index as a key).
        String zeros = String.join(",", Collections.nCopies(1_400_000, "0"));
        try (DbProxyHandler large = new DbProxyHandler(DbProxySettings.fromEnv(env))) {
            JsonNode response = invoke(large, request(op("insertOne",
                    "\"document\": {\"_id\": \"huge\", \"values\": [" + zeros + "]}")));

            JsonNode error = error(response, 0);
            assertEquals("VALIDATION", error.path("code").asText());
            assertFalse(error.path("retryable").asBoolean());
            assertTrue(error.path("message").asText().contains("16 MB"), error::toString);
            assertEquals(0, result(invoke(large, request(op("countDocuments", "\"filter\": {\"_id\": \"huge\"}"))),
                    0).path("count").asLong());
        }
    }

    @Test
    void findWithoutLimit_getsTheDefaultLimit() {
        JsonNode response = invoke(handler, request(op("find", "\"projection\": {\"text\": 0}")));

        assertEquals(5, result(response, 0).path("documents").size());
    }

    @Test
    void findOverTheMaximumLimit_failsWithValidation() {
        JsonNode response = invoke(handler, request(op("find", "\"limit\": 21")));

        JsonNode error = error(response, 0);
        assertEquals("VALIDATION", error.path("code").asText());
        assertTrue(error.path("message").asText().contains("maximum of 20"));
    }

    @Test
    void resultOverTheResponseLimit_failsWithResultTooLarge_sayingToPage() {
        JsonNode response = invoke(handler, request(false, "canonical", 10_000, String.join(",",
                op("find", "\"limit\": 20"),
                op("find", "\"limit\": 2"))));

        JsonNode error = error(response, 0);
        assertEquals("RESULT_TOO_LARGE", error.path("code").asText());
        assertFalse(error.path("retryable").asBoolean());
        assertTrue(error.path("message").asText().contains("page"));
        assertEquals(2, result(response, 1).path("documents").size());
    }

    @Test
    void batchWhoseResultsTogetherExceedTheResponseLimit_failsTheOperationThatDoesNotFit() {
        JsonNode response = invoke(handler, request(false, "canonical", 10_000, String.join(",",
                op("find", "\"limit\": 10, \"sort\": {\"_id\": 1}"),
                op("find", "\"limit\": 10, \"sort\": {\"_id\": -1}"))));

        assertEquals(10, result(response, 0).path("documents").size());
        assertEquals("RESULT_TOO_LARGE", error(response, 1).path("code").asText());
    }

    static Stream<Arguments> writesEchoingALargeId() {
        return Stream.of(
                largeIdWrite("insertOne", "insertOne", "\"document\": {\"_id\": %s}"),
                largeIdWrite("updateOne", "updateOne", "\"filter\": {\"_id\": %s}, \"update\": {\"$set\": {\"x\": 1}},"
                        + " \"upsert\": true"),
                largeIdWrite("updateMany", "updateMany", "\"filter\": {\"_id\": %s},"
                        + " \"update\": {\"$set\": {\"x\": 1}}, \"upsert\": true"),
                largeIdWrite("replaceOne", "replaceOne", "\"filter\": {\"_id\": %s}, \"replacement\": {\"x\": 1},"
                        + " \"upsert\": true"),
                largeIdWrite("updateOne filter $eq", "updateOne", "\"filter\": {\"_id\": {\"$eq\": %s}},"
                        + " \"update\": {\"$set\": {\"x\": 1}}, \"upsert\": true"),
                largeIdWrite("updateOne filter $and", "updateOne", "\"filter\": {\"$and\": [{\"x\": 2},"
                        + " {\"_id\": %s}]}, \"update\": {\"$set\": {\"x\": 2}}, \"upsert\": true"),
                largeIdWrite("updateOne $set", "updateOne", "\"filter\": {\"x\": \"none\"},"
                        + " \"update\": {\"$set\": {\"_id\": %s}}, \"upsert\": true"),
                largeIdWrite("updateOne $setOnInsert", "updateOne", "\"filter\": {\"x\": \"none\"},"
                        + " \"update\": {\"$setOnInsert\": {\"_id\": %s}}, \"upsert\": true"),
                largeIdWrite("replaceOne replacement", "replaceOne", "\"filter\": {\"x\": \"none\"},"
                        + " \"replacement\": {\"_id\": %s, \"x\": 1}, \"upsert\": true"));
    }

    /**
     * (case, operation) echoing the id {"action": case, "big": [0, 0, ...]}: 40 KB sent, 380 KB as canonical JSON.
     */
    private static Arguments largeIdWrite(String name, String action, String fields) {
        String id = "{\"action\": \"" + name + "\", \"big\": ["
                + String.join(",", Collections.nCopies(20_000, "0")) + "]}";
        return Arguments.of(name, op(action, fields.formatted(id)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("writesEchoingALargeId")
    void writeWhoseIdWouldNotFitInTheResponse_failsWithResultTooLarge_beforeWriting(String name, String write) {
        try (DbProxyHandler large = handlerWithLimits(65_536, 65_536)) {
            JsonNode response = invoke(large, request(write));

            assertEquals("RESULT_TOO_LARGE", error(response, 0).path("code").asText());
            assertTrue(response.toString().length() < 65_536);
            assertEquals(0, result(invoke(large, request(op("countDocuments",
                    "\"filter\": {\"_id.action\": \"" + name + "\"}"))), 0).path("count").asLong());
        }
    }

    /** (action, id, the update or replacement, around %s) of an upsert storing {_id: id, text: 70 KB of x}. */
    static Stream<Arguments> upsertsOfALargeDocumentWithASmallId() {
        return Stream.of(
                Arguments.of("updateOne", "set-one", "\"update\": {\"$set\": {\"text\": \"%s\"}}"),
                Arguments.of("updateMany", "set-many", "\"update\": {\"$set\": {\"text\": \"%s\"}}"),
                Arguments.of("replaceOne", "replaced", "\"replacement\": {\"text\": \"%s\"}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("upsertsOfALargeDocumentWithASmallId")
    void upsertOfADocumentLargerThanTheResponseLimit_succeedsAndStoresIt_whenItsIdIsSmall(String action, String id,
                                                                                          String change) {
        String text = "x".repeat(70_000);
        try (DbProxyHandler large = handlerWithLimits(65_536, 131_072)) {
            JsonNode response = invoke(large, request(opOn("archive", action, "\"filter\": {\"_id\": \"" + id
                    + "\"}, " + change.formatted(text) + ", \"upsert\": true")));

            assertEquals(id, result(response, 0).path("upsertedId").asText());
            assertEquals(1, result(invoke(large, request(opOn("archive", "countDocuments",
                    "\"filter\": {\"_id\": \"" + id + "\", \"text\": \"" + text + "\"}"))), 0)
                    .path("count").asLong());
        }
    }

    /** (action, result field of the id, operation) of a write whose result echoes the id "small-" + action. */
    static Stream<Arguments> writesEchoingASmallId() {
        return Stream.of(
                Arguments.of("insertOne", "insertedId", opOn("archive", "insertOne",
                        "\"document\": {\"_id\": \"small-insertOne\"}")),
                Arguments.of("updateOne", "upsertedId", opOn("archive", "updateOne",
                        "\"filter\": {\"_id\": \"small-updateOne\"}, \"update\": {\"$set\": {\"x\": 1}},"
                                + " \"upsert\": true")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("writesEchoingASmallId")
    void smallIdWrite_afterAReadThatFilledTheResponse_fitsInTheBytesReservedForItsOutcome(String action, String idField,
                                                                                          String write) {
        // Under 64 KiB, a batch of two keeps 1024 bytes for the envelope and 512 per outcome: 63 488 bytes are shared.
        // The filler, 63 200 bytes as JSON, leaves fewer of them than a write's result is counted at (200 plus its
        // id), but that result fits in the bytes reserved for its outcome.
        String filler = "{\"_id\": \"filler\", \"text\": \"" + "x".repeat(63_200 - 29) + "\"}";
        try (DbProxyHandler large = handlerWithLimits(65_536, 131_072)) {
            result(invoke(large, request(opOn("archive", "insertOne", "\"document\": " + filler))), 0);

            JsonNode response = invoke(large, request(String.join(",",
                    opOn("archive", "findOne", "\"filter\": {\"_id\": \"filler\"}"), write)));

            assertEquals(63_171, result(response, 0).path("document").path("text").asText().length());
            assertEquals("small-" + action, result(response, 1).path(idField).asText());
            assertTrue(response.toString().length() < 65_536);
        }
    }

    private static DbProxyHandler handlerWithLimits(int maxResponseBytes, int maxRequestBytes) {
        Map<String, String> env = HandlerInvoker.environment(mongoDb.connectionString());
        env.put(DbProxySettings.PROXY_MAX_RESPONSE_BYTES, String.valueOf(maxResponseBytes));
        env.put(DbProxySettings.PROXY_MAX_REQUEST_BYTES, String.valueOf(maxRequestBytes));
        return new DbProxyHandler(DbProxySettings.fromEnv(env));
    }

    @Test
    void aggregateReturningMoreThanTheMaximum_failsWithResultTooLarge() {
        JsonNode response = invoke(handler, request(op("aggregate",
                "\"pipeline\": [{\"$project\": {\"text\": 0}}]")));

        JsonNode error = error(response, 0);
        assertEquals("RESULT_TOO_LARGE", error.path("code").asText());
        assertTrue(error.path("message").asText().contains("$limit"));
    }

    @Test
    void deadlineAlreadyPassed_rejectsTheRequestWithTimeout() {
        JsonNode response = invoke(handler, request(true, "canonical", -1_000, op("countDocuments", "")));

        JsonNode error = rejection(response);
        assertEquals("TIMEOUT", error.path("code").asText());
        assertTrue(error.path("retryable").asBoolean());
    }

    @Test
    void invocationWithoutTimeLeft_rejectsTheRequestWithTimeout() {
        byte[] body = request(op("countDocuments", "")).getBytes(StandardCharsets.UTF_8);

        JsonNode response = invoke(handler, body, TestContext.withRemaining(Duration.ofMillis(10)));

        assertEquals("TIMEOUT", rejection(response).path("code").asText());
    }

    @Test
    void reads_carryAMaxTimeMsWithinTheDeadline() {
        COMMANDS.clear();

        invoke(handler, request(true, "canonical", 1_500, String.join(",",
                op("find", "\"limit\": 1, \"projection\": {\"text\": 0}"),
                op("countDocuments", ""))));

        List<Long> maxTimes = COMMANDS.stream()
                .filter(command -> command.containsKey("find") || command.containsKey("aggregate"))
                .map(command -> command.getNumber("maxTimeMS").longValue())
                .toList();
        assertEquals(2, maxTimes.size(), () -> "find and count's aggregate: " + COMMANDS);
        assertTrue(maxTimes.stream().allMatch(ms -> ms > 0 && ms <= 1_500), maxTimes::toString);
    }

    @Test
    void reads_carryAMaxTimeMsWithinTheInvocationsRemainingTime() {
        COMMANDS.clear();
        byte[] body = request(true, "canonical", 60_000, op("countDocuments", "")).getBytes(StandardCharsets.UTF_8);

        invoke(handler, body, TestContext.withRemaining(Duration.ofMillis(800)));

        long maxTime = COMMANDS.stream().filter(command -> command.containsKey("aggregate")).findFirst()
                .orElseThrow().getNumber("maxTimeMS").longValue();
        assertTrue(maxTime > 0 && maxTime <= 800 - 80, () -> "maxTimeMS " + maxTime);
    }
}
