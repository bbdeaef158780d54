package dev.dbproxy.proxy.handler;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dbproxy.lambda.environment.snapstart.LambdaRuntimeCheckpoint;
import dev.dbproxy.localmongodb.ConnectionStats;
import dev.dbproxy.localmongodb.EmbeddedMongoDb;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The DB proxy around a SnapStart snapshot, built as the runtime builds it (its environment says
 * {@code AWS_LAMBDA_INITIALIZATION_TYPE=snap-start}) and driven in one JVM through the Lambda runtime's own CRaC
 * context (this module's Failsafe launches the JVM as Lambda launches a SnapStart environment), against the embedded
 * MongoDB, which counts the connections it holds.
 */
class DbProxyHandlerSnapStartIT {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void initPrimesAndConnects_checkpointClosesEveryConnection_restoreDrawsANewEnvironmentId_theNextRequestWorks()
            throws Exception {
        try (EmbeddedMongoDb db = EmbeddedMongoDb.start();
                DbProxyHandler handler = new DbProxyHandler(Map.of(
                        "MONGODB_URI", db.connectionString(),
                        "PROXY_ALLOWED_DATABASE", "shop",
                        "PROXY_ALLOWED_COLLECTIONS", "orders",
                        "PROXY_ALLOWED_ACTIONS", "countDocuments,insertOne",
                        "AWS_LAMBDA_INITIALIZATION_TYPE", "snap-start"))) {
            ConnectionStats primed = db.connectionStats();
            assertTrue(primed.current() > 0, "init ran a request, so it connected: " + primed);
            String snapshotId = handler.environmentId();

            LambdaRuntimeCheckpoint.checkpoint();
            await().atMost(WAIT).until(() -> db.connectionStats().current() == 0);
            LambdaRuntimeCheckpoint.restore();
            assertEquals(0, db.connectionStats().current(), "a restored environment connects on first use");
            assertNotEquals(snapshotId, handler.environmentId(), "every restored environment has its own id");

            JsonNode inserted = invoke(handler, "{\"action\": \"insertOne\", \"database\": \"shop\", \"collection\":"
                    + " \"orders\", \"document\": {\"_id\": \"first\", \"total\": 3}}");
            assertEquals("ok", inserted.at("/results/0/status").asText(), inserted.toString());
            assertTrue(inserted.at("/metadata/coldStart").asBoolean(), "priming did not use up the cold start");
            assertEquals(handler.environmentId(), inserted.at("/metadata/environmentId").asText());
            JsonNode counted = invoke(handler, "{\"action\": \"countDocuments\", \"database\": \"shop\","
                    + " \"collection\": \"orders\", \"filter\": {}}");
            assertEquals(1, counted.at("/results/0/result/count").asInt(), counted.toString());
            ConnectionStats restored = db.connectionStats();
            assertTrue(restored.current() > 0 && restored.current() <= 2, "pool + monitor again: " + restored);
            assertTrue(restored.totalCreated() > primed.totalCreated(), "new connections: " + restored);
        }
    }

    private static JsonNode invoke(DbProxyHandler handler, String operation) throws Exception {
        String request = "{\"version\": 1, \"requestId\": \"snapstart-it\", \"deadlineEpochMillis\": "
                + Instant.now().plusSeconds(10).toEpochMilli() + ", \"operations\": [" + operation + "]}";
        ByteArrayOutputStream response = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(request.getBytes(StandardCharsets.UTF_8)), response,
                TestContext.withRemaining(Duration.ofSeconds(10)));
        return JSON.readTree(response.toByteArray());
    }
}
