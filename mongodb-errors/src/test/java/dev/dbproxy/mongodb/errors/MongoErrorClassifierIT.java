package dev.dbproxy.mongodb.errors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.TimeUnit;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What the real driver throws when no server can be selected, classified: pins the driver's own wording that
 * {@link MongoErrorClassifier} reads under a client-side operation timeout, so a driver upgrade that changes it fails
 * here rather than turning an unreachable database into a write that "may have applied".
 */
class MongoErrorClassifierIT {

    @ParameterizedTest(name = "serverSelectionTimeoutMS={0}, timeoutMS={1}")
    @CsvSource({"200, 0", "200, 5000", "5000, 200"})
    @Timeout(10)
    void noReachableServer_isUnavailable_andNeverApplied_whicheverTimeoutEndsTheWait(
            long serverSelectionMillis, long operationTimeoutMillis) throws IOException {
        MongoClientSettings.Builder settings = MongoClientSettings.builder()
                .applyConnectionString(new ConnectionString("mongodb://127.0.0.1:" + closedPort()))
                .applyToClusterSettings(cluster -> cluster.serverSelectionTimeout(serverSelectionMillis,
                        TimeUnit.MILLISECONDS));
        if (operationTimeoutMillis > 0) {
            settings.timeout(operationTimeoutMillis, TimeUnit.MILLISECONDS);
        }
        try (MongoClient client = MongoClients.create(settings.build())) {
            RuntimeException failure = assertThrows(RuntimeException.class, () -> client.getDatabase("app")
                    .getCollection("notes").insertOne(new Document("_id", 1)));

            MongoErrorClassification classification = MongoErrorClassifier.classify(failure);

            assertEquals(MongoErrorKind.UNAVAILABLE, classification.kind(), failure.toString());
            assertFalse(classification.mayHaveApplied(), failure.toString());
        }
    }

    @Test
    @Timeout(10)
    void aDeadlineTooShortForAnyAnswer_fromAServerThatNeverAnswers_isNeverApplied() throws IOException {
        try (ServerSocket silent = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
                MongoClient client = MongoClients.create(MongoClientSettings.builder()
                        .applyConnectionString(new ConnectionString("mongodb://127.0.0.1:" + silent.getLocalPort()))
                        .timeout(300, TimeUnit.MILLISECONDS)
                        .build())) {
            RuntimeException failure = assertThrows(RuntimeException.class, () -> client.getDatabase("app")
                    .getCollection("notes").insertOne(new Document("_id", 1)));

            MongoErrorClassification classification = MongoErrorClassifier.classify(failure);

            assertEquals(MongoErrorKind.UNAVAILABLE, classification.kind(), failure.toString());
            assertFalse(classification.mayHaveApplied(), failure.toString());
        }
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
