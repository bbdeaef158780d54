package dev.dbproxy.localmongodb;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.MongoCommandException;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** {@code $currentOp} through the real driver: every client connection, named by the appName of its handshake. */
class CurrentOpIT {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Document ALL_CONNECTIONS = new Document("$currentOp",
            new Document("allUsers", true).append("idleConnections", true));

    @Test
    void currentOp_listsEveryConnectionByAppName_andForgetsAClosedClientsConnections() {
        try (EmbeddedMongoDb db = EmbeddedMongoDb.start();
                MongoClient gauge = client(db, "gauge");
                MongoClient list = client(db, "ListNotesFunction")) {
            MongoClient get = client(db, "GetNoteFunction");
            ping(list);
            ping(get);
            await().atMost(WAIT).until(() -> perAppName(gauge).keySet().containsAll(
                    List.of("gauge", "ListNotesFunction", "GetNoteFunction")));

            Map<String, Long> withBoth = perAppName(gauge);
            assertTrue(withBoth.get("ListNotesFunction") >= 1, withBoth.toString());
            assertTrue(withBoth.get("GetNoteFunction") >= 1, withBoth.toString());
            assertEquals(db.connectionStats().current(), withBoth.values().stream().mapToLong(Long::longValue).sum(),
                    "every connection serverStatus counts is listed once: " + withBoth);

            get.close();

            await().atMost(WAIT).until(() -> !perAppName(gauge).containsKey("GetNoteFunction"));
            assertEquals(withBoth.get("ListNotesFunction"), perAppName(gauge).get("ListNotesFunction"));
        }
    }

    @Test
    void currentOp_documentsHaveTheShapeOfMongoDbs_andTheCallerIsTheActiveOne() {
        try (EmbeddedMongoDb db = EmbeddedMongoDb.start(); MongoClient client = client(db, "shape-test")) {
            ping(client);
            List<Document> documents = aggregate(client, List.of(ALL_CONNECTIONS,
                    new Document("$match", new Document("appName", "shape-test"))));

            assertFalse(documents.isEmpty());
            for (Document document : documents) {
                assertEquals("op", document.getString("type"));
                assertEquals("127.0.0.1:" + db.port(), document.getString("host"));
                assertTrue(document.getString("client").matches("127\\.0\\.0\\.1:\\d+"), document.toJson());
                assertEquals("conn" + document.get("connectionId", Number.class).longValue(), document.getString("desc"));
                Document metadata = document.get("clientMetadata", Document.class);
                assertEquals("shape-test", metadata.get("application", Document.class).getString("name"));
                assertTrue(metadata.containsKey("driver"), document.toJson());
            }
            List<Document> active = documents.stream().filter(d -> d.getBoolean("active")).toList();
            assertEquals(1, active.size(), "only the connection running this aggregate is active");
            assertEquals("command", active.getFirst().getString("op"));
            assertTrue(active.getFirst().get("command", Document.class).containsKey("aggregate"));
        }
    }

    @Test
    void currentOp_withoutIdleConnections_listsOnlyActiveOperations() {
        try (EmbeddedMongoDb db = EmbeddedMongoDb.start(); MongoClient client = client(db, "active-only")) {
            ping(client);

            List<Document> documents = aggregate(client, List.of(new Document("$currentOp", new Document())));

            assertEquals(1, documents.size(), documents.toString());
            assertTrue(documents.getFirst().getBoolean("active"));
        }
    }

    @Test
    void legacyCurrentOpCommand_withAll_filtersByItsOtherFields() {
        try (EmbeddedMongoDb db = EmbeddedMongoDb.start();
                MongoClient client = client(db, "legacy");
                MongoClient other = client(db, "other")) {
            ping(other);
            ping(client);

            Document reply = Mono.from(client.getDatabase("admin").runCommand(new Document("currentOp", 1)
                    .append("$all", true).append("appName", "other"))).block(WAIT);

            List<Document> inprog = reply.getList("inprog", Document.class);
            assertFalse(inprog.isEmpty());
            assertTrue(inprog.stream().allMatch(d -> d.getString("appName").equals("other")), reply.toJson());
        }
    }

    @Test
    void currentOp_refusesAnotherDatabase_andAnUnknownOption_withMongoDbsCodes() {
        try (EmbeddedMongoDb db = EmbeddedMongoDb.start(); MongoClient client = client(db, "errors")) {
            MongoCommandException elsewhere = assertThrows(MongoCommandException.class, () -> Flux.from(
                    client.getDatabase("notes").aggregate(List.of(ALL_CONNECTIONS))).collectList().block(WAIT));
            MongoCommandException unknown = assertThrows(MongoCommandException.class, () -> Flux.from(
                    client.getDatabase("admin").aggregate(List.of(new Document("$currentOp",
                            new Document("idleConnection", true))))).collectList().block(WAIT));

            assertEquals(CurrentOperations.INVALID_NAMESPACE, elsewhere.getErrorCode());
            assertEquals(CurrentOperations.UNKNOWN_FIELD, unknown.getErrorCode());
        }
    }

    /** Connections per appName, grouped by the server as the lab's reading does. */
    private static Map<String, Long> perAppName(MongoClient client) {
        Map<String, Long> counts = new TreeMap<>();
        for (Document group : aggregate(client, List.of(ALL_CONNECTIONS,
                new Document("$group", new Document("_id", "$appName")
                        .append("connections", new Document("$sum", 1)))))) {
            counts.put(String.valueOf(group.get("_id")), group.get("connections", Number.class).longValue());
        }
        return counts;
    }

    private static List<Document> aggregate(MongoClient client, List<Document> pipeline) {
        return Flux.from(client.getDatabase("admin").aggregate(pipeline)).collectList().block(WAIT);
    }

    private static MongoClient client(EmbeddedMongoDb db, String appName) {
        return MongoClients.create(MongoClientSettings.builder()
                .applyConnectionString(new ConnectionString(db.connectionString()))
                .applicationName(appName)
                .applyToClusterSettings(cluster -> cluster.serverSelectionTimeout(5, TimeUnit.SECONDS))
                .build());
    }

    private static void ping(MongoClient client) {
        Mono.from(client.getDatabase("admin").runCommand(new Document("ping", 1))).block(WAIT);
    }
}
