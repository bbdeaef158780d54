package dev.dbproxy.proxy.handler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import dev.dbproxy.localmongodb.EmbeddedMongoDb;
import dev.dbproxy.proxy.dataapi.DataApiError;
import dev.dbproxy.proxy.dataapi.DataApiKey;
import dev.dbproxy.proxy.dataapi.DataApiKeys;
import dev.dbproxy.proxy.protocol.ErrorCode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Coverage-guided fuzzing of the whole handler against the embedded MongoDB server, on arbitrary bytes and on
 * structurally valid requests built from fuzzed data. After every input: the handler did not throw, it answered a
 * response the codec reads, every error code is a documented one, nothing outside the allowlist was written (collection
 * {@code locked} keeps its one document, no other collection or database appears), and the secret planted in the
 * connection string is not in the response unless the input itself held it. Inputs that are API Gateway HTTP API
 * events ({@code data-api-*.json} in the corpus) reach the Data API endpoint instead and must answer a documented
 * status and error code, with the same guarantees on the data.
 */
class DbProxyHandlerFuzzIT {

    /** Planted in the connection string (its default database): the handler knows it, no input does. */
    private static final String SECRET = "s3cr3t-planted-7f1c9e";
    private static final Duration WAIT = Duration.ofSeconds(10);
    /** The Data API key of the HTTP API events in the corpus ({@code data-api-*.json}), allowed what the proxy allows. */
    private static final String DATA_API_KEY = "data-api-fuzz-key-7f1c9e0000000000000000000000000000000000000000000";
    private static final Set<Integer> DATA_API_STATUSES = Set.of(200, 400, 401, 403, 404, 405, 413, 500, 503);
    private static final Set<String> DATA_API_CODES = Set.of(Arrays.stream(DataApiError.values())
            .map(DataApiError::code).toArray(String[]::new));
    private static final Set<String> DOCUMENTED_CODES = Set.of(Arrays.stream(ErrorCode.values())
            .map(ErrorCode::name).toArray(String[]::new));
    private static final Set<String> FORBIDDEN_KEYS = Set.of("$where", "$function", "$accumulator", "$out", "$merge",
            "$currentOp", "$listSessions", "$listLocalSessions", "$changeStream");
    private static final List<String> KEYS = List.of("$where", "$function", "$accumulator", "$out", "$merge",
            "$lookup", "$unionWith", "$graphLookup", "$facet", "$match", "$group", "$expr", "$and", "$or", "$nor",
            "$not", "$ne", "$gt", "$in", "$regex", "$set", "$inc", "$unset", "$project", "$limit", "$currentOp",
            "from", "coll", "db", "pipeline", "as", "into", "_id", "title", "n", "$oid", "$numberLong", "$date");
    private static final List<String> ACTIONS = List.of("find", "findOne", "countDocuments", "insertOne",
            "insertMany", "updateOne", "updateMany", "replaceOne", "deleteOne", "deleteMany", "aggregate", "drop");
    private static final List<String> COLLECTIONS = List.of("notes", "archive", "locked", "system.users", "");
    private static final List<String> DATABASES = List.of("app", "app", "app", "admin", "other", SECRET.substring(1));

    private static EmbeddedMongoDb mongoDb;
    private static MongoClient verifier;
    private static DbProxyHandler handler;

    @BeforeAll
    static void start() {
        mongoDb = EmbeddedMongoDb.start();
        verifier = MongoClients.create(mongoDb.connectionString());
        Mono.from(verifier.getDatabase("app").getCollection("locked")
                .insertOne(new Document("_id", "l1").append("owner", "nobody"))).block(WAIT);
        Mono.from(verifier.getDatabase("app").getCollection("notes")
                .insertOne(new Document("_id", "n1").append("title", "t"))).block(WAIT);
        Map<String, String> env = HandlerInvoker.environment(mongoDb.connectionString() + "/" + SECRET);
        DbProxySettings settings = DbProxySettings.fromEnv(env);
        handler = new DbProxyHandler(settings, DataApiKeys.of(List.of(new DataApiKey("fuzz",
                DataApiKeys.sha256(DATA_API_KEY), settings.policy()))));
    }

    @AfterAll
    static void stop() {
        handler.close();
        verifier.close();
        mongoDb.close();
    }

    @FuzzTest(maxDuration = "5s")
    void handleRequest_onAnyBytes_answersWithDocumentedCodesAndWritesNothingForbidden(byte[] input) {
        JsonNode response = invokeAndCheck(input);
        if (response.has("results")) {
            assertTrue(response.path("results").isArray());
        }
    }

    @FuzzTest(maxDuration = "5s")
    void handleRequest_onFuzzedValidRequests_refusesEveryDisallowedOperation(FuzzedDataProvider data) {
        ArrayNode operations = JsonNodeFactory.instance.arrayNode();
        List<Boolean> disallowed = new ArrayList<>();
        int count = data.consumeInt(1, 4);
        for (int i = 0; i < count; i++) {
            boolean[] forbiddenKey = {false};
            String database = data.pickValue(DATABASES);
            String collection = data.pickValue(COLLECTIONS);
            String action = data.pickValue(ACTIONS);
            ObjectNode operation = JsonNodeFactory.instance.objectNode()
                    .put("action", action).put("database", database).put("collection", collection);
            switch (action) {
                case "insertOne" -> operation.set("document", document(data, "d" + i));
                case "insertMany" -> operation.set("documents",
                        JsonNodeFactory.instance.arrayNode().add(document(data, "m" + i)));
                case "aggregate" -> operation.set("pipeline",
                        JsonNodeFactory.instance.arrayNode().add(tree(data, 4, forbiddenKey)));
                case "updateOne", "updateMany" -> {
                    operation.set("filter", tree(data, 3, forbiddenKey));
                    operation.set("update", tree(data, 3, forbiddenKey));
                }
                case "replaceOne" -> {
                    operation.set("filter", tree(data, 3, forbiddenKey));
                    operation.set("replacement", document(data, "r" + i));
                }
                default -> operation.set("filter", tree(data, 4, forbiddenKey));
            }
            operations.add(operation);
            boolean allowedNamespace = database.equals("app")
                    && (collection.equals("notes") || collection.equals("archive"));
            disallowed.add(!allowedNamespace || forbiddenKey[0]);
        }
        boolean version2 = data.consumeBoolean();
        long deadline = System.currentTimeMillis() + 5000;
        if (version2) {
            // Operations of several callers, each with its own id and a deadline up to the request's.
            for (int i = 0; i < operations.size(); i++) {
                ((ObjectNode) operations.get(i)).put("requestId", "caller-" + data.consumeInt(0, 2))
                        .put("deadlineEpochMillis", deadline - data.consumeLong(0, 5000));
            }
        }
        ObjectNode request = JsonNodeFactory.instance.objectNode()
                .put("version", version2 ? 2 : 1).put("requestId", "fuzz").put("deadlineEpochMillis", deadline)
                .put("ordered", data.consumeBoolean());
        request.set("operations", operations);

        JsonNode response = invokeAndCheck(request.toString().getBytes(StandardCharsets.UTF_8));

        JsonNode results = response.path("results");
        for (int i = 0; i < disallowed.size() && results.isArray(); i++) {
            if (disallowed.get(i)) {
                assertNotEquals("ok", results.path(i).path("status").asText(),
                        "a disallowed operation ran: " + operations.get(i));
            }
        }
    }

    /** A document to insert, with an {@code _id} and fuzzed fields (data: operators inside are not scanned). */
    private static ObjectNode document(FuzzedDataProvider data, String id) {
        ObjectNode document = JsonNodeFactory.instance.objectNode().put("_id", id + data.consumeInt(0, 3));
        document.put(data.pickValue(KEYS), data.consumeString(8));
        return document;
    }

    /** A filter, update or stage: keys from operators and fields, values nested up to {@code depth}. */
    private static ObjectNode tree(FuzzedDataProvider data, int depth, boolean[] forbiddenKey) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        int fields = data.consumeInt(0, 3);
        for (int i = 0; i < fields; i++) {
            String key = data.consumeBoolean() ? data.pickValue(KEYS) : data.consumeString(6);
            if (FORBIDDEN_KEYS.contains(key)) {
                forbiddenKey[0] = true;
            }
            switch (depth <= 0 ? 0 : data.consumeInt(0, 5)) {
                case 0 -> node.put(key, data.consumeString(8));
                case 1 -> node.put(key, data.consumeLong());
                case 2 -> node.put(key, data.consumeDouble());
                case 3 -> node.set(key, JsonNodeFactory.instance.arrayNode()
                        .add(tree(data, depth - 1, forbiddenKey)).add(data.pickValue(COLLECTIONS)));
                default -> node.set(key, tree(data, depth - 1, forbiddenKey));
            }
        }
        return node;
    }

    private static JsonNode invokeAndCheck(byte[] input) {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        try {
            handler.handleRequest(new ByteArrayInputStream(input), output,
                    TestContext.withRemaining(Duration.ofSeconds(10)));
        } catch (IOException e) {
            throw new AssertionError("the handler threw", e);
        }
        byte[] answer = output.toByteArray();
        JsonNode response = HandlerInvoker.CODEC.readTree(new String(answer, StandardCharsets.UTF_8));
        if (response.has("statusCode")) {
            checkDataApiResponse(input, response);
            assertNothingForbiddenWritten();
            return response;
        }
        HandlerInvoker.CODEC.readResponse(answer);
        int version = response.path("version").asInt();
        assertTrue(version == 1 || version == 2, () -> "no protocol response: " + response);
        if (version == 2) {
            assertTrue(new String(input, StandardCharsets.ISO_8859_1).contains("2"),
                    () -> "a version 2 answer to a request that cannot have said version 2: " + response);
        }
        codes(response).forEach(code -> assertTrue(DOCUMENTED_CODES.contains(code), "undocumented code " + code));
        boolean inputHoldsSecret = new String(input, StandardCharsets.ISO_8859_1).contains(SECRET);
        if (!inputHoldsSecret) {
            assertFalse(new String(answer, StandardCharsets.UTF_8).contains(SECRET), "the secret was echoed");
        }
        assertNothingForbiddenWritten();
        return response;
    }

    /** An HTTP API response of the Data API: a documented status, and an error body with a documented code. */
    private static void checkDataApiResponse(byte[] input, JsonNode response) {
        int status = response.path("statusCode").asInt();
        assertTrue(DATA_API_STATUSES.contains(status), () -> "undocumented status " + status);
        String body = new String(java.util.Base64.getDecoder().decode(response.path("body").asText()),
                StandardCharsets.UTF_8);
        JsonNode answer = HandlerInvoker.CODEC.readTree(body);
        if (status != 200) {
            assertTrue(DATA_API_CODES.contains(answer.path("error_code").asText()), () -> "undocumented " + body);
        }
        if (!new String(input, StandardCharsets.ISO_8859_1).contains(SECRET)) {
            assertFalse(body.contains(SECRET), "the secret was echoed");
        }
    }

    private static List<String> codes(JsonNode response) {
        List<String> codes = new ArrayList<>();
        if (response.has("error")) {
            codes.add(response.path("error").path("code").asText());
        }
        response.path("results").forEach(outcome -> {
            if (outcome.has("error")) {
                codes.add(outcome.path("error").path("code").asText());
            }
        });
        return codes;
    }

    private static void assertNothingForbiddenWritten() {
        List<Document> locked = Flux.from(verifier.getDatabase("app").getCollection("locked").find())
                .collectList().block(WAIT);
        assertEquals(List.of(new Document("_id", "l1").append("owner", "nobody")), locked,
                "collection locked (outside the allowlist) changed");
        Set<String> collections = new HashSet<>(Flux.from(verifier.getDatabase("app").listCollectionNames())
                .collectList().block(WAIT));
        collections.removeAll(Set.of("notes", "archive", "locked"));
        assertEquals(Set.of(), collections, "a collection outside the allowlist was created");
        Set<String> databases = new HashSet<>(Flux.from(verifier.listDatabaseNames()).collectList().block(WAIT));
        databases.removeAll(Set.of("app", "admin", "local", "config"));
        assertEquals(Set.of(), databases, "a database outside the allowlist was created");
    }
}
