package dev.dbproxy.proxy.dataapi;

import static dev.dbproxy.proxy.dataapi.DataApiStack.FULL_KEY;
import static dev.dbproxy.proxy.dataapi.DataApiStack.READ_ONLY_KEY;
import static dev.dbproxy.proxy.dataapi.DataApiStack.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The Data API endpoint over HTTP through the local HTTP API gateway: every action's response shape, both formats,
 * both key headers, and each documented error's status and body, with the data unchanged on every refusal.
 */
@Timeout(60)
class DataApiEndpointIT {

    private static final String NAMESPACE = "\"dataSource\": \"mongodb-atlas\", \"database\": \"learn-data-api\","
            + " \"collection\": \"tasks\"";
    private static DataApiStack stack;

    @BeforeAll
    static void start() {
        stack = DataApiStack.start();
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    @BeforeEach
    void emptyTasks() {
        stack.collection("tasks").deleteMany(new Document());
    }

    @Test
    void insertOne_withoutId_generatesAnObjectIdAndSaysSo() {
        HttpResponse<String> response = stack.post("insertOne", "{" + NAMESPACE
                        + ", \"document\": {\"status\": \"open\", \"text\": \"Do the dishes\"}}",
                "api-key", FULL_KEY, "Content-Type", "application/json");

        assertEquals(200, response.statusCode(), response.body());
        assertEquals("application/json", response.headers().firstValue("Content-Type").orElse(""));
        assertEquals("0", response.headers().firstValue("Db-Proxy-Generated-Ids").orElse(""));
        String id = json(response.body()).path("insertedId").asText();
        assertTrue(id.matches("[0-9a-f]{24}"), response.body());
        Document stored = stack.collection("tasks").find(new Document("_id", new ObjectId(id))).first();
        assertEquals("Do the dishes", stored.getString("text"));
    }

    @Test
    void insertMany_generatesOnlyTheMissingIds_inRequestOrder() {
        JsonNode inserted = json(stack.post("insertMany", "{" + NAMESPACE + ", \"documents\": [{\"text\": \"a\"},"
                        + " {\"_id\": \"given\", \"text\": \"b\"}, {\"text\": \"c\"}]}", "apiKey", FULL_KEY,
                "Content-Type", "application/json").body());

        JsonNode ids = inserted.path("insertedIds");
        assertEquals(3, ids.size(), inserted.toString());
        assertEquals("given", ids.get(1).asText());
        assertEquals(3, stack.collection("tasks").countDocuments());
    }

    @Test
    void readsAndWrites_answerTheDataApiShapes() {
        stack.call("insertMany", "{" + NAMESPACE + ", \"documents\": [{\"_id\": 1, \"status\": \"open\", \"n\": 1},"
                + " {\"_id\": 2, \"status\": \"open\", \"n\": 2}, {\"_id\": 3, \"status\": \"done\", \"n\": 3}]}");

        assertEquals(json("{\"document\": {\"_id\": 2, \"status\": \"open\", \"n\": 2}}"),
                stack.call("findOne", "{" + NAMESPACE + ", \"filter\": {\"n\": 2}}"));
        assertEquals(json("{\"document\": null}"), stack.call("findOne", "{" + NAMESPACE + ", \"filter\": {\"n\": 9}}"));
        assertEquals(json("{\"documents\": [{\"n\": 2}, {\"n\": 1}]}"), stack.call("find", "{" + NAMESPACE
                + ", \"filter\": {\"status\": \"open\"}, \"projection\": {\"_id\": 0, \"n\": 1},"
                + " \"sort\": {\"n\": -1}, \"limit\": 5, \"skip\": 0}"));
        assertEquals(json("{\"matchedCount\": 2, \"modifiedCount\": 2}"), stack.call("updateMany", "{" + NAMESPACE
                + ", \"filter\": {\"status\": \"open\"}, \"update\": {\"$set\": {\"status\": \"done\"}}}"));
        assertEquals(json("{\"matchedCount\": 0, \"modifiedCount\": 0, \"upsertedId\": 7}"), stack.call("updateOne",
                "{" + NAMESPACE + ", \"filter\": {\"_id\": 7}, \"update\": {\"$set\": {\"n\": 7}}, \"upsert\": true}"));
        assertEquals(json("{\"matchedCount\": 1, \"modifiedCount\": 1}"), stack.call("replaceOne", "{" + NAMESPACE
                + ", \"filter\": {\"_id\": 3}, \"replacement\": {\"status\": \"replaced\"}}"));
        assertEquals(json("{\"documents\": [{\"_id\": \"done\", \"count\": 2}]}"), stack.call("aggregate",
                "{" + NAMESPACE + ", \"pipeline\": [{\"$match\": {\"status\": \"done\"}},"
                        + " {\"$group\": {\"_id\": \"$status\", \"count\": {\"$sum\": 1}}}]}"));
        assertEquals(json("{\"deletedCount\": 1}"), stack.call("deleteOne", "{" + NAMESPACE
                + ", \"filter\": {\"_id\": 7}}"));
        assertEquals(json("{\"deletedCount\": 3}"), stack.call("deleteMany", "{" + NAMESPACE + ", \"filter\": {}}"));
    }

    @Test
    void acceptEjson_answersCanonicalExtendedJson_andJsonFlattensTypesAsTheDataApiDid() {
        stack.call("insertOne", "{" + NAMESPACE + ", \"document\": {\"_id\": {\"$oid\": \"64224f4d089104f1766116a5\"},"
                + " \"at\": {\"$date\": {\"$numberLong\": \"1680105272788\"}}, \"n\": {\"$numberLong\": \"5\"},"
                + " \"price\": {\"$numberDecimal\": \"9.90\"}}}");
        String findOne = "{" + NAMESPACE + ", \"filter\": {\"_id\": {\"$oid\": \"64224f4d089104f1766116a5\"}}}";

        HttpResponse<String> ejson = stack.post("findOne", findOne, "api-key", FULL_KEY,
                "Content-Type", "application/ejson", "Accept", "application/ejson");
        HttpResponse<String> plain = stack.post("findOne", findOne, "api-key", FULL_KEY,
                "Content-Type", "application/ejson", "Accept", "application/json");

        assertEquals("application/ejson", ejson.headers().firstValue("Content-Type").orElse(""));
        assertEquals(json("{\"document\": {\"_id\": {\"$oid\": \"64224f4d089104f1766116a5\"},"
                + " \"at\": {\"$date\": {\"$numberLong\": \"1680105272788\"}}, \"n\": {\"$numberLong\": \"5\"},"
                + " \"price\": {\"$numberDecimal\": \"9.90\"}}}"), json(ejson.body()));
        assertEquals(json("{\"document\": {\"_id\": \"64224f4d089104f1766116a5\","
                + " \"at\": \"2023-03-29T15:54:32.788Z\", \"n\": 5, \"price\": \"9.90\"}}"), json(plain.body()));
    }

    @Test
    void aMissingOrWrongKey_is401_withTheSameBody_andNothingRuns() {
        String insert = "{" + NAMESPACE + ", \"document\": {\"text\": \"x\"}}";
        HttpResponse<String> missing = stack.post("insertOne", insert, "Content-Type", "application/json");
        HttpResponse<String> wrong = stack.post("insertOne", insert, "api-key", FULL_KEY.substring(1) + "X",
                "Content-Type", "application/json");
        HttpResponse<String> empty = stack.post("insertOne", insert, "apiKey", " ", "Content-Type", "application/json");

        for (HttpResponse<String> response : List.of(missing, wrong, empty)) {
            assertEquals(401, response.statusCode(), response.body());
            assertError(response, "InvalidSession");
            assertFalse(response.body().contains(FULL_KEY.substring(1)), "the key never comes back");
        }
        assertEquals(json(missing.body()), json(wrong.body()), "missing and wrong are not told apart");
        assertEquals(0, stack.collection("tasks").countDocuments());
    }

    @Test
    void aReadOnlyKey_reads_butEveryWriteIs403_andChangesNothing() {
        stack.collection("tasks").insertOne(new Document("_id", 1).append("text", "kept"));
        HttpResponse<String> read = stack.post("find", "{" + NAMESPACE + "}", "api-key", READ_ONLY_KEY,
                "Content-Type", "application/json");
        assertEquals(200, read.statusCode(), read.body());

        List<String> writes = List.of(
                "insertOne", "{" + NAMESPACE + ", \"document\": {\"text\": \"new\"}}",
                "insertMany", "{" + NAMESPACE + ", \"documents\": [{\"text\": \"new\"}]}",
                "updateOne", "{" + NAMESPACE + ", \"filter\": {}, \"update\": {\"$set\": {\"text\": \"changed\"}}}",
                "updateMany", "{" + NAMESPACE + ", \"filter\": {}, \"update\": {\"$set\": {\"text\": \"changed\"}}}",
                "replaceOne", "{" + NAMESPACE + ", \"filter\": {}, \"replacement\": {\"text\": \"changed\"}}",
                "deleteOne", "{" + NAMESPACE + ", \"filter\": {}}",
                "deleteMany", "{" + NAMESPACE + ", \"filter\": {}}");
        for (int i = 0; i < writes.size(); i += 2) {
            HttpResponse<String> response = stack.post(writes.get(i), writes.get(i + 1), "api-key", READ_ONLY_KEY,
                    "Content-Type", "application/json");
            assertEquals(403, response.statusCode(), writes.get(i) + ": " + response.body());
            assertError(response, "Forbidden");
        }
        assertEquals(List.of(new Document("_id", 1).append("text", "kept")),
                stack.collection("tasks").find().into(new ArrayList<>()));
    }

    @Test
    void requestErrors_answerTheirDocumentedStatusAndCode() {
        record Case(String action, String body, String contentType, int status, String code) {
        }
        List<Case> cases = List.of(
                new Case("countDocuments", "{" + NAMESPACE + "}", "application/json", 404, "UnknownAction"),
                new Case("dropDatabase", "{" + NAMESPACE + "}", "application/json", 404, "UnknownAction"),
                new Case("find", "{" + NAMESPACE + "}", "text/plain", 400, "InvalidParameter"),
                new Case("find", "{\"database\": \"learn-data-api\", \"collection\": \"tasks\"}", "application/json",
                        400, "MissingParameter"),
                new Case("find", "{\"dataSource\": \"x\", \"collection\": \"tasks\"}", "application/json", 400,
                        "MissingParameter"),
                new Case("find", "{" + NAMESPACE + ", \"filter\": []}", "application/json", 400, "InvalidParameter"),
                new Case("find", "{" + NAMESPACE + ", \"document\": {}}", "application/json", 400, "InvalidParameter"),
                new Case("find", "{" + NAMESPACE + "} trailing", "application/json", 400, "InvalidParameter"),
                new Case("find", "", "application/json", 400, "InvalidParameter"),
                new Case("find", "{" + NAMESPACE + ", \"filter\": {\"$where\": \"sleep(100)\"}}", "application/json",
                        403, "Forbidden"),
                new Case("find", "{\"dataSource\": \"x\", \"database\": \"admin\", \"collection\": \"tasks\"}",
                        "application/json", 403, "Forbidden"),
                new Case("find", "{" + NAMESPACE + ", \"filter\": {\"big\": \"" + "x".repeat(70_000) + "\"}}",
                        "application/json", 413, "RequestTooLarge"));
        for (Case c : cases) {
            HttpResponse<String> response = stack.post(c.action(), c.body(), "api-key", FULL_KEY,
                    "Content-Type", c.contentType());
            assertEquals(c.status(), response.statusCode(), c + " answered " + response.body());
            assertError(response, c.code());
        }
    }

    @Test
    void aMethodOtherThanPost_is405() {
        HttpResponse<String> response = stack.send(HttpRequest.newBuilder(URI.create(stack.baseUrl() + "/action/find"))
                .timeout(Duration.ofSeconds(30)).header("api-key", FULL_KEY).GET().build());

        assertEquals(405, response.statusCode(), response.body());
        assertError(response, "MethodNotAllowed");
    }

    @Test
    void aDuplicateId_is400DuplicateKey_andKeepsTheStoredDocument() {
        stack.collection("tasks").insertOne(new Document("_id", "taken").append("text", "first"));

        HttpResponse<String> response = stack.post("insertOne", "{" + NAMESPACE
                + ", \"document\": {\"_id\": \"taken\", \"text\": \"second\"}}", "api-key", FULL_KEY,
                "Content-Type", "application/json");

        assertEquals(400, response.statusCode(), response.body());
        assertError(response, "DuplicateKey");
        assertEquals("first", stack.collection("tasks").find().first().getString("text"));
    }

    private static void assertError(HttpResponse<String> response, String code) {
        JsonNode body = json(response.body());
        assertEquals(code, body.path("error_code").asText(), response.body());
        assertTrue(body.path("error").isTextual() && !body.path("error").asText().isBlank(), response.body());
        assertEquals("proxy-handler/DATA-API.md#" + code.toLowerCase(java.util.Locale.ROOT),
                body.path("link").asText());
        assertEquals(3, body.size(), "only error, error_code and link: " + response.body());
    }
}
