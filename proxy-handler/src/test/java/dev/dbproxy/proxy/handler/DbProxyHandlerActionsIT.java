package dev.dbproxy.proxy.handler;

import static dev.dbproxy.proxy.handler.HandlerInvoker.error;
import static dev.dbproxy.proxy.handler.HandlerInvoker.invoke;
import static dev.dbproxy.proxy.handler.HandlerInvoker.json;
import static dev.dbproxy.proxy.handler.HandlerInvoker.op;
import static dev.dbproxy.proxy.handler.HandlerInvoker.request;
import static dev.dbproxy.proxy.handler.HandlerInvoker.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import com.mongodb.reactivestreams.client.MongoCollection;
import dev.dbproxy.localmongodb.EmbeddedMongoDb;
import dev.dbproxy.proxy.protocol.ExtendedJson;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Every action through the handler against the embedded MongoDB server, with hand-written protocol JSON. */
class DbProxyHandlerActionsIT {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String TYPED_DOCUMENT = """
            {"_id": {"$oid": "65f0c0ffee0123456789abcd"},
             "title": "typed",
             "createdAt": {"$date": {"$numberLong": "1714566896789"}},
             "price": {"$numberDecimal": "19.90"},
             "views": {"$numberLong": "9007199254740993"},
             "small": {"$numberLong": "7"},
             "rank": {"$numberInt": "3"},
             "ratio": {"$numberDouble": "0.1"},
             "whole": {"$numberDouble": "2.0"},
             "payload": {"$binary": {"base64": "AAEC/w==", "subType": "00"}},
             "tags": ["a", {"nested": {"$numberInt": "1"}}]}""";

    private static EmbeddedMongoDb mongoDb;
    private static MongoClient verifier;
    private static DbProxyHandler handler;

    @BeforeAll
    static void startDatabaseAndProxy() {
        mongoDb = EmbeddedMongoDb.start();
        verifier = MongoClients.create(mongoDb.connectionString());
        handler = new DbProxyHandler(DbProxySettings.fromEnv(HandlerInvoker.environment(mongoDb.connectionString())));
    }

    @AfterAll
    static void stop() {
        handler.close();
        verifier.close();
        mongoDb.close();
    }

    @BeforeEach
    void emptyCollections() {
        Mono.from(notes().drop()).block(WAIT);
    }

    @Test
    void insertOne_thenFindOne_keepsEveryExtendedJsonTypeExactly_inCanonicalMode() {
        JsonNode inserted = invoke(handler, request(op("insertOne", "\"document\": " + TYPED_DOCUMENT)));
        JsonNode found = invoke(handler, request(op("findOne",
                "\"filter\": {\"_id\": {\"$oid\": \"65f0c0ffee0123456789abcd\"}}")));

        assertEquals(json("{\"$oid\": \"65f0c0ffee0123456789abcd\"}"), result(inserted, 0).path("insertedId"));
        JsonNode document = result(found, 0).path("document");
        assertEquals(json(TYPED_DOCUMENT), document);
        assertEquals(Instant.parse("2024-05-01T12:34:56.789Z"), ExtendedJson.readDate(document.get("createdAt")));
        assertEquals(new BigDecimal("19.90"), ExtendedJson.readDecimal128(document.get("price")));
        assertEquals(9_007_199_254_740_993L, ExtendedJson.readInt64(document.get("views")));
        Document stored = Mono.from(verifier.getDatabase("app").getCollection("notes").find().first()).block(WAIT);
        assertEquals(Long.class, stored.get("small").getClass(), "an int64 is stored as an int64");
        assertEquals(Double.class, stored.get("whole").getClass(), "a double is stored as a double");
    }

    @Test
    void findOne_inRelaxedMode_writesPlainNumbersAndIsoDates() {
        invoke(handler, request(op("insertOne", "\"document\": " + TYPED_DOCUMENT)));

        JsonNode found = invoke(handler, request(true, "relaxed", 10_000, op("findOne", "\"filter\": {}")));

        JsonNode document = result(found, 0).path("document");
        assertEquals(json("{\"$date\": \"2024-05-01T12:34:56.789Z\"}"), document.get("createdAt"));
        assertEquals(3, document.get("rank").asInt());
        assertTrue(document.get("small").isIntegralNumber());
        assertEquals(json("{\"$numberDecimal\": \"19.90\"}"), document.get("price"));
    }

    @Test
    void relaxedInput_isStoredWithTheTypesItMeans() {
        invoke(handler, request(op("insertOne", """
                "document": {"_id": "k1", "price": 1.0, "count": 5, "big": 3000000000,
                             "when": {"$date": "2024-05-01T00:00:00Z"}}""")));

        JsonNode document = result(invoke(handler, request(op("findOne", "\"filter\": {\"_id\": \"k1\"}"))), 0)
                .path("document");

        assertEquals(json("""
                {"_id": "k1", "price": {"$numberDouble": "1.0"}, "count": {"$numberInt": "5"},
                 "big": {"$numberLong": "3000000000"}, "when": {"$date": {"$numberLong": "1714521600000"}}}"""),
                document);
    }

    @Test
    void findOne_givesNull_whenNothingMatches() {
        JsonNode found = invoke(handler, request(op("findOne", "\"filter\": {\"_id\": \"none\"}")));

        assertTrue(result(found, 0).path("document").isNull());
        assertTrue(result(found, 0).has("document"));
    }

    @Test
    void find_appliesFilterSortProjectionSkipAndLimit() {
        insertNumbered(10);

        JsonNode found = invoke(handler, request(op("find", """
                "filter": {"n": {"$gte": 2}}, "sort": {"n": -1}, "projection": {"_id": 0, "n": 1},
                "skip": 1, "limit": 3""")));

        assertEquals(json("[{\"n\": {\"$numberInt\": \"8\"}}, {\"n\": {\"$numberInt\": \"7\"}},"
                + " {\"n\": {\"$numberInt\": \"6\"}}]"), result(found, 0).path("documents"));
    }

    @Test
    void countDocuments_countsTheMatchingDocuments() {
        insertNumbered(10);

        JsonNode counted = invoke(handler, request(op("countDocuments", "\"filter\": {\"n\": {\"$lt\": 4}}")));

        assertEquals(4, result(counted, 0).path("count").asLong());
    }

    @Test
    void insertMany_insertsEveryDocument_andReturnsTheirIdsInOrder() {
        JsonNode inserted = invoke(handler, request(op("insertMany", """
                "documents": [{"_id": "a", "n": 1}, {"_id": {"$oid": "65f0c0ffee0123456789abce"}, "n": 2}]""")));

        assertEquals(json("[\"a\", {\"$oid\": \"65f0c0ffee0123456789abce\"}]"), result(inserted, 0).path("insertedIds"));
        assertEquals(2L, count());
    }

    @Test
    void updateOne_updateMany_andUpsert_reportTheirCounts() {
        insertNumbered(4);

        JsonNode response = invoke(handler, request(String.join(",",
                op("updateOne", "\"filter\": {\"n\": 1}, \"update\": {\"$set\": {\"title\": \"one\"}}"),
                op("updateMany", "\"filter\": {\"n\": {\"$gte\": 2}}, \"update\": {\"$inc\": {\"n\": 10}}"),
                op("updateOne", "\"filter\": {\"_id\": \"new\"}, \"update\": {\"$set\": {\"n\": 99}},"
                        + " \"upsert\": true"),
                op("updateOne", "\"filter\": {\"n\": 1}, \"update\": {\"$set\": {\"title\": \"one\"}}"))));

        assertEquals(json("{\"matchedCount\": 1, \"modifiedCount\": 1}"), result(response, 0));
        assertEquals(json("{\"matchedCount\": 2, \"modifiedCount\": 2}"), result(response, 1));
        assertEquals(json("{\"matchedCount\": 0, \"modifiedCount\": 0, \"upsertedId\": \"new\"}"), result(response, 2));
        assertEquals(json("{\"matchedCount\": 1, \"modifiedCount\": 0}"), result(response, 3));
        assertEquals(2L, count(new Document("n", new Document("$gte", 12).append("$lt", 20))));
        assertEquals(1L, count(new Document("_id", "new")));
    }

    @Test
    void replaceOne_replacesTheWholeDocument_andUpsertsWhenAsked() {
        insertNumbered(1);

        JsonNode response = invoke(handler, request(String.join(",",
                op("replaceOne", "\"filter\": {\"n\": 0}, \"replacement\": {\"title\": \"replaced\"}"),
                op("replaceOne", "\"filter\": {\"_id\": \"r2\"}, \"replacement\": {\"title\": \"upserted\"},"
                        + " \"upsert\": true"))));

        assertEquals(json("{\"matchedCount\": 1, \"modifiedCount\": 1}"), result(response, 0));
        assertEquals("r2", result(response, 1).path("upsertedId").asText());
        Document replaced = Mono.from(notes().find(new Document("_id", "n0")).first()).block(WAIT);
        assertEquals(new Document("_id", "n0").append("title", "replaced"), replaced);
    }

    @Test
    void deleteOne_andDeleteMany_reportHowManyWereDeleted() {
        insertNumbered(6);

        JsonNode response = invoke(handler, request(String.join(",",
                op("deleteOne", "\"filter\": {\"n\": {\"$gte\": 0}}"),
                op("deleteMany", "\"filter\": {\"n\": {\"$gte\": 3}}"),
                op("deleteOne", "\"filter\": {\"n\": 100}"))));

        assertEquals(1, result(response, 0).path("deletedCount").asLong());
        assertEquals(3, result(response, 1).path("deletedCount").asLong());
        assertEquals(0, result(response, 2).path("deletedCount").asLong());
        assertEquals(2L, count());
    }

    @Test
    void aggregate_runsMatchGroupAndSort() {
        insertNumbered(6);

        JsonNode response = invoke(handler, request(op("aggregate", """
                "pipeline": [{"$match": {"n": {"$lt": 4}}},
                             {"$group": {"_id": {"$mod": ["$n", 2]}, "total": {"$sum": "$n"}}},
                             {"$sort": {"_id": 1}}]""")));

        JsonNode documents = result(response, 0).path("documents");
        assertEquals(2, documents.size());
        assertEquals(2, ExtendedJson.readInt64(documents.get(0).get("total")));
        assertEquals(4, ExtendedJson.readInt64(documents.get(1).get("total")));
    }

    @Test
    void find_withExpr_andAggregate_withFacet_run() {
        insertNumbered(5);

        JsonNode response = invoke(handler, request(String.join(",",
                op("find", "\"filter\": {\"$expr\": {\"$gte\": [\"$n\", 3]}}, \"sort\": {\"n\": 1}"),
                op("aggregate", "\"pipeline\": [{\"$facet\": {\"small\": [{\"$match\": {\"n\": {\"$lt\": 2}}},"
                        + " {\"$count\": \"n\"}], \"all\": [{\"$count\": \"n\"}]}}]"))));

        assertEquals(2, result(response, 0).path("documents").size());
        JsonNode facets = result(response, 1).path("documents").get(0);
        assertEquals(2, ExtendedJson.readInt64(facets.path("small").get(0).get("n")));
        assertEquals(5, ExtendedJson.readInt64(facets.path("all").get(0).get("n")));
    }

    @Test
    void oneBatch_withEveryAction_givesEachItsOwnResultInOrder() {
        JsonNode response = invoke(handler, request(String.join(",",
                op("insertOne", "\"document\": {\"_id\": \"b1\", \"n\": 1}"),
                op("insertMany", "\"documents\": [{\"_id\": \"b2\", \"n\": 2}, {\"_id\": \"b3\", \"n\": 3}]"),
                op("updateOne", "\"filter\": {\"_id\": \"b1\"}, \"update\": {\"$set\": {\"n\": 10}}"),
                op("updateMany", "\"filter\": {}, \"update\": {\"$set\": {\"seen\": true}}"),
                op("replaceOne", "\"filter\": {\"_id\": \"b2\"}, \"replacement\": {\"n\": 20}"),
                op("findOne", "\"filter\": {\"_id\": \"b2\"}"),
                op("find", "\"sort\": {\"_id\": 1}"),
                op("countDocuments", ""),
                op("aggregate", "\"pipeline\": [{\"$group\": {\"_id\": null, \"sum\": {\"$sum\": \"$n\"}}}]"),
                op("deleteOne", "\"filter\": {\"_id\": \"b3\"}"),
                op("deleteMany", "\"filter\": {}"))));

        assertEquals(11, response.path("results").size());
        assertEquals("b1", result(response, 0).path("insertedId").asText());
        assertEquals(2, result(response, 1).path("insertedIds").size());
        assertEquals(1, result(response, 2).path("modifiedCount").asLong());
        assertEquals(3, result(response, 3).path("matchedCount").asLong());
        assertEquals(1, result(response, 4).path("modifiedCount").asLong());
        assertEquals(json("{\"_id\": \"b2\", \"n\": {\"$numberInt\": \"20\"}}"), result(response, 5).path("document"));
        assertEquals(3, result(response, 6).path("documents").size());
        assertEquals(3, result(response, 7).path("count").asLong());
        assertEquals(33, ExtendedJson.readInt64(result(response, 8).path("documents").get(0).get("sum")));
        assertEquals(1, result(response, 9).path("deletedCount").asLong());
        assertEquals(2, result(response, 10).path("deletedCount").asLong());
    }

    @Test
    void orderedBatch_stopsAtTheFirstFailure_andSkipsTheRest() {
        JsonNode response = invoke(handler, request(true, "canonical", 10_000, String.join(",",
                op("insertOne", "\"document\": {\"_id\": \"o1\", \"n\": 1}"),
                op("insertOne", "\"document\": {\"_id\": \"o1\", \"n\": 2}"),
                op("insertOne", "\"document\": {\"_id\": \"o3\", \"n\": 3}"))));

        result(response, 0);
        assertEquals("DUPLICATE_KEY", error(response, 1).path("code").asText());
        assertFalse(error(response, 1).path("retryable").asBoolean());
        assertEquals("skipped", response.path("results").path(2).path("status").asText());
        assertEquals(1L, count());
    }

    @Test
    void unorderedBatch_runsEveryOperation_whateverHappenedToTheOthers() {
        JsonNode response = invoke(handler, request(false, "canonical", 10_000, String.join(",",
                op("insertOne", "\"document\": {\"_id\": \"u1\", \"n\": 1}"),
                op("insertOne", "\"document\": {\"_id\": \"u1\", \"n\": 2}"),
                op("insertOne", "\"document\": {\"_id\": \"u3\", \"n\": 3}"))));

        result(response, 0);
        assertEquals("DUPLICATE_KEY", error(response, 1).path("code").asText());
        result(response, 2);
        assertEquals(2L, count());
    }

    @Test
    void retriedInsertOne_ofTheSameDocument_isReportedAsSuccess_andStoresOneDocument() {
        String insert = request(op("insertOne", "\"document\": " + TYPED_DOCUMENT));

        JsonNode first = invoke(handler, insert);
        JsonNode retried = invoke(handler, insert);

        assertEquals(result(first, 0), result(retried, 0));
        assertEquals(1L, count());
    }

    @Test
    void insertOne_withTheIdOfADifferentDocument_failsWithDuplicateKey() {
        invoke(handler, request(op("insertOne", "\"document\": {\"_id\": \"d1\", \"title\": \"first\"}")));

        JsonNode response = invoke(handler, request(op("insertOne",
                "\"document\": {\"_id\": \"d1\", \"title\": \"second\"}")));

        assertEquals("DUPLICATE_KEY", error(response, 0).path("code").asText());
        assertEquals("first", Mono.from(notes().find().first()).block(WAIT).getString("title"));
    }

    @Test
    void retriedInsertMany_afterAPartialFirstAttempt_insertsTheRest_andReportsSuccess() {
        invoke(handler, request(op("insertOne", "\"document\": {\"_id\": \"m1\", \"n\": 1}")));

        JsonNode response = invoke(handler, request(op("insertMany",
                "\"documents\": [{\"_id\": \"m1\", \"n\": 1}, {\"_id\": \"m2\", \"n\": 2}]")));

        assertEquals(json("[\"m1\", \"m2\"]"), result(response, 0).path("insertedIds"));
        assertEquals(2L, count());
    }

    @Test
    void insertMany_withTheIdOfADifferentDocument_failsWithDuplicateKey() {
        invoke(handler, request(op("insertOne", "\"document\": {\"_id\": \"x1\", \"n\": 1}")));

        JsonNode response = invoke(handler, request(op("insertMany",
                "\"documents\": [{\"_id\": \"x1\", \"n\": 100}, {\"_id\": \"x2\", \"n\": 2}]")));

        assertEquals("DUPLICATE_KEY", error(response, 0).path("code").asText());
    }

    @Test
    void invalidExtendedJson_failsThatOperationWithValidation() {
        JsonNode response = invoke(handler, request(false, "canonical", 10_000, String.join(",",
                op("findOne", "\"filter\": {\"_id\": {\"$oid\": \"not-hex\"}}"),
                op("countDocuments", ""))));

        JsonNode error = error(response, 0);
        assertEquals("VALIDATION", error.path("code").asText());
        assertTrue(error.path("message").asText().contains("filter"), error::toString);
        result(response, 1);
    }

    @Test
    void everyResponse_carriesMetadata_coldOnlyOnTheFirstInvocationOfAnEnvironment() {
        try (DbProxyHandler fresh = new DbProxyHandler(
                DbProxySettings.fromEnv(HandlerInvoker.environment(mongoDb.connectionString())))) {
            JsonNode first = invoke(fresh, request(op("countDocuments", "")));
            JsonNode second = invoke(fresh, request(op("countDocuments", "")));

            assertTrue(first.path("metadata").path("coldStart").asBoolean());
            assertFalse(second.path("metadata").path("coldStart").asBoolean());
            assertEquals(first.path("metadata").path("environmentId"), second.path("metadata").path("environmentId"));
            assertTrue(second.path("metadata").path("serverTimeMs").isIntegralNumber());
            assertTrue(first.path("requestId").asText().startsWith("test-"));
        }
    }

    private static MongoCollection<Document> notes() {
        return verifier.getDatabase("app").getCollection("notes");
    }

    private static long count() {
        return count(new Document());
    }

    private static long count(Document filter) {
        return Mono.from(notes().countDocuments(filter)).block(WAIT);
    }

    private static void insertNumbered(int howMany) {
        List<Document> documents = new ArrayList<>();
        for (int n = 0; n < howMany; n++) {
            documents.add(new Document("_id", "n" + n).append("n", n));
        }
        Mono.from(notes().insertMany(documents)).block(WAIT);
        assertEquals(howMany, Flux.from(notes().find()).count().block(WAIT));
    }
}
