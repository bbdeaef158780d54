package dev.dbproxy.proxy.dataapi;

import static dev.dbproxy.proxy.dataapi.DataApiStack.FULL_KEY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Hostile requests to the Data API endpoint over HTTP, as {@code HostileHttpInputIT} sends them to the notes API:
 * server-side JavaScript, writing stages, reaches into other collections and databases, operators hidden in data or
 * escapes, duplicate keys, deep nesting, numbers out of range, invalid UTF-8, oversized bodies. Each gets a
 * documented status with the Data API's error body, and afterwards the data is exactly as it was and no collection or
 * database was created.
 */
@Timeout(120)
class DataApiHostileInputIT {

    private static final String NS = "\"dataSource\": \"x\", \"database\": \"learn-data-api\", \"collection\": \"tasks\"";
    private static final Set<Integer> DOCUMENTED_STATUSES = Set.of(400, 401, 403, 404, 405, 413);
    private static final Set<String> DOCUMENTED_CODES = Set.of("InvalidParameter", "MissingParameter",
            "DuplicateKey", "ResultTooLarge", "InvalidSession", "Forbidden", "UnknownAction", "MethodNotAllowed",
            "RequestTooLarge");
    private static DataApiStack stack;
    private static final List<Document> STORED = List.of(new Document("_id", "t1").append("text", "kept"),
            new Document("_id", "t2").append("owner", "alice"));

    @BeforeAll
    static void start() {
        stack = DataApiStack.start();
        stack.collection("tasks").insertMany(STORED);
        stack.collection("hello").insertOne(new Document("_id", "h1"));
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    /** (action, body) pairs that must all be refused. */
    static List<String[]> hostileRequests() {
        String deep = "{\"a\": ".repeat(5_000) + "1" + "}".repeat(5_000);
        return List.of(
                new String[] {"find", "{" + NS + ", \"filter\": {\"$where\": \"sleep(5000) || true\"}}"},
                new String[] {"find", "{" + NS + ", \"filter\": {\"\\u0024where\": \"true\"}}"},
                new String[] {"find", "{" + NS + ", \"filter\": {\"$expr\": {\"$function\": {\"body\": \"return 1\","
                        + " \"args\": [], \"lang\": \"js\"}}}}"},
                new String[] {"aggregate", "{" + NS + ", \"pipeline\": [{\"$group\": {\"_id\": 1, \"x\":"
                        + " {\"$accumulator\": {}}}}]}"},
                new String[] {"aggregate", "{" + NS + ", \"pipeline\": [{\"$match\": {}}, {\"$out\": \"hello\"}]}"},
                new String[] {"aggregate", "{" + NS + ", \"pipeline\": [{\"$merge\": {\"into\": \"stolen\"}}]}"},
                new String[] {"aggregate", "{" + NS + ", \"pipeline\": [{\"$lookup\": {\"from\": \"secrets\","
                        + " \"as\": \"s\", \"localField\": \"_id\", \"foreignField\": \"_id\"}}]}"},
                new String[] {"aggregate", "{" + NS + ", \"pipeline\": [{\"$unionWith\": {\"coll\": \"users\","
                        + " \"db\": \"admin\"}}]}"},
                new String[] {"aggregate", "{" + NS + ", \"pipeline\": [{\"$facet\": {\"a\": [{\"$lookup\":"
                        + " {\"from\": \"secrets\", \"as\": \"s\", \"pipeline\": []}}]}}]}"},
                new String[] {"aggregate", "{" + NS + ", \"pipeline\": [{\"$currentOp\": {}}]}"},
                new String[] {"updateMany", "{" + NS + ", \"filter\": {}, \"update\": [{\"$set\": {\"x\":"
                        + " {\"$function\": {\"body\": \"1\", \"args\": [], \"lang\": \"js\"}}}}]}"},
                new String[] {"insertOne", "{" + NS + ", \"document\": {\"$set\": {\"owner\": \"mallory\"}}}"},
                new String[] {"insertOne", "{" + NS + ", \"document\": {\"_id\": {\"$gt\": \"\"}, \"x\": 1}}"},
                new String[] {"insertMany", "{" + NS + ", \"documents\": [{\"_id\": \"n1\"}, {\"a\": {\"$where\":"
                        + " 1, \"b\": 2}}]}"},
                new String[] {"replaceOne", "{" + NS + ", \"filter\": {}, \"replacement\": {\"$rename\": {}}}"},
                new String[] {"updateOne", "{" + NS + ", \"filter\": {}, \"update\": {\"owner\": \"mallory\"}}"},
                new String[] {"deleteMany", "{\"dataSource\": \"x\", \"database\": \"learn-data-api\","
                        + " \"collection\": \"secrets\", \"filter\": {}}"},
                new String[] {"deleteMany", "{\"dataSource\": \"x\", \"database\": \"admin\", \"collection\": \"tasks\","
                        + " \"filter\": {}}"},
                new String[] {"deleteMany", "{\"dataSource\": \"x\", \"database\": {\"$ne\": \"\"},"
                        + " \"collection\": \"tasks\", \"filter\": {}}"},
                new String[] {"deleteMany", "{" + NS + "}"},
                new String[] {"deleteMany", "{" + NS + ", \"filter\": {}, \"filter\": {\"_id\": \"none\"}}"},
                new String[] {"deleteOne", "{" + NS + ", \"collection\": \"hello\", \"filter\": {}}"},
                new String[] {"updateMany", "{" + NS + ", \"filter\": {}, \"update\": {\"$set\": {\"x\": 1}},"
                        + " \"upsert\": \"yes\"}"},
                new String[] {"find", "{" + NS + ", \"limit\": 1e999999}"},
                new String[] {"find", "{" + NS + ", \"limit\": 41e02444800000}"},
                new String[] {"find", "{" + NS + ", \"limit\": -1}"},
                new String[] {"find", "{" + NS + ", \"filter\": " + deep + "}"},
                new String[] {"find", "[" + "{" + NS + "}]"},
                new String[] {"find", "{" + NS + ", \"action\": \"deleteMany\"}"},
                new String[] {"find", "{" + NS + ", \"filter\": {}} {\"second\": 1}"},
                new String[] {"deleteMany", "{" + NS + ", \"filter\": {}, \"big\": \"" + "x".repeat(70_000) + "\"}"},
                new String[] {"../action/deleteMany", "{" + NS + ", \"filter\": {}}"},
                new String[] {"deleteMany%00", "{" + NS + ", \"filter\": {}}"});
    }

    @Test
    void everyHostileRequest_isRefusedWithADocumentedError_andTheDataIsUnchanged() {
        for (String[] request : hostileRequests()) {
            HttpResponse<String> response = stack.post(request[0], request[1], "api-key", FULL_KEY,
                    "Content-Type", "application/json");
            assertRefused(request[0] + " " + shorten(request[1]), response);
        }
        assertUnchanged();
    }

    @Test
    void invalidUtf8AndBinaryBodies_areRefused_andTheDataIsUnchanged() {
        byte[] invalid = ("{" + NS + ", \"filter\": {\"text\": \"\u00ff\"}}").getBytes(StandardCharsets.ISO_8859_1);
        for (String contentType : List.of("application/json", "application/ejson; charset=utf-8")) {
            HttpResponse<String> response = stack.send(HttpRequest.newBuilder(
                            URI.create(stack.baseUrl() + "/action/deleteMany")).timeout(Duration.ofSeconds(30))
                    .header("api-key", FULL_KEY).header("Content-Type", contentType)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(invalid)).build());
            assertRefused("invalid UTF-8 as " + contentType, response);
        }
        assertUnchanged();
    }

    @Test
    void hostileKeys_areAll401_andNothingRuns() {
        for (String key : List.of("", "'", FULL_KEY.toLowerCase(), FULL_KEY + FULL_KEY, "x".repeat(4_000),
                "{\"$ne\": null}", "null")) {
            HttpResponse<String> response = stack.post("deleteMany", "{" + NS + ", \"filter\": {}}", "api-key",
                    key.isEmpty() ? " " : key, "Content-Type", "application/json");
            assertEquals(401, response.statusCode(), shorten(key) + ": " + response.body());
        }
        assertUnchanged();
    }

    private static void assertRefused(String what, HttpResponse<String> response) {
        assertTrue(DOCUMENTED_STATUSES.contains(response.statusCode()), what + " answered " + response.statusCode()
                + ": " + shorten(response.body()));
        if (response.statusCode() == 404 && !response.body().contains("error_code")) {
            return; // the gateway's own 404 for a path no route matches, as API Gateway answers it
        }
        JsonNode body = DataApiStack.json(response.body());
        assertTrue(DOCUMENTED_CODES.contains(body.path("error_code").asText()), what + ": " + response.body());
    }

    private static void assertUnchanged() {
        assertEquals(STORED, stack.collection("tasks").find().sort(new Document("_id", 1)).into(new ArrayList<>()));
        assertEquals(List.of(new Document("_id", "h1")), stack.collection("hello").find().into(new ArrayList<>()));
        Set<String> collections = new HashSet<>(stack.database().listCollectionNames().into(new ArrayList<>()));
        assertEquals(Set.of("tasks", "hello"), collections);
        Set<String> databases = new HashSet<>(stack.databaseNames());
        databases.removeAll(Set.of("admin", "local", "config"));
        assertEquals(Set.of(DataApiStack.DATABASE), databases);
    }

    private static String shorten(String text) {
        return text.length() <= 160 ? text : text.substring(0, 160) + "...";
    }
}
