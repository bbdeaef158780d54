package dev.dbproxy.localmongodb;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.ConnectionString;
import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoClientSettings;
import com.mongodb.MongoWriteConcernException;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

class EmbeddedMongoDbIT {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void serverStatus_reportsConnectionsOpenedAndClosedByRealClients() {
        try (EmbeddedMongoDb db = EmbeddedMongoDb.start()) {
            MongoClient first = client(db);
            ping(first);
            await().atMost(WAIT).until(() -> db.connectionStats().current() >= 1);
            MongoClient second = client(db);
            ping(second);
            long withTwoClients = db.connectionStats().current();

            Document status = Mono.from(first.getDatabase("admin").runCommand(new Document("serverStatus", 1)))
                    .block(WAIT);
            Document connections = status.get("connections", Document.class);

            assertTrue(withTwoClients >= 2, "two clients open at least two connections, saw " + withTwoClients);
            assertEquals(db.connectionStats().current(), ((Number) connections.get("current")).longValue());
            assertEquals(db.connectionStats().totalCreated(), ((Number) connections.get("totalCreated")).longValue());

            second.close();
            await().atMost(WAIT).until(() -> db.connectionStats().current() < withTwoClients);
            first.close();
            await().atMost(WAIT).until(() -> db.connectionStats().current() == 0);
            assertTrue(db.connectionStats().totalCreated() >= withTwoClients);
        }
    }

    @Test
    void stopAndRestart_dropsConnections_keepsDataAndPort() {
        try (EmbeddedMongoDb db = EmbeddedMongoDb.start()) {
            int port = db.port();
            try (MongoClient client = client(db)) {
                Mono.from(client.getDatabase("notes").getCollection("notes").insertOne(new Document("_id", "a")))
                        .block(WAIT);

                db.stop();

                assertEquals(0, db.connectionStats().current());
                db.restart();
                assertEquals(port, db.port());
                Long count = Mono.from(client.getDatabase("notes").getCollection("notes").countDocuments())
                        .block(WAIT);
                assertEquals(1L, count);
            }
        }
    }

    @Test
    void failingWriteConcern_appliesTheWrite_butTheDriverReportsTheWriteConcernError() {
        try (EmbeddedMongoDb db = EmbeddedMongoDb.start(); MongoClient client = client(db)) {
            var notes = client.getDatabase("notes").getCollection("notes");
            db.failWriteConcern(true);

            MongoWriteConcernException single = assertThrows(MongoWriteConcernException.class,
                    () -> Mono.from(notes.insertOne(new Document("_id", "a"))).block(WAIT));
            MongoBulkWriteException bulk = assertThrows(MongoBulkWriteException.class,
                    () -> Mono.from(notes.insertMany(List.of(new Document("_id", "b"), new Document("_id", "c"))))
                            .block(WAIT));
            Long countWhileFailing = Mono.from(notes.countDocuments()).block(WAIT);
            db.failWriteConcern(false);
            Mono.from(notes.insertOne(new Document("_id", "d"))).block(WAIT);

            assertEquals(64, single.getWriteConcernError().getCode());
            assertEquals(64, bulk.getWriteConcernError().getCode());
            assertTrue(bulk.getWriteErrors().isEmpty());
            assertEquals(3L, countWhileFailing, "the writes were applied; only their confirmation failed");
            assertEquals(4L, Mono.from(notes.countDocuments()).block(WAIT));
        }
    }

    private static MongoClient client(EmbeddedMongoDb db) {
        return MongoClients.create(MongoClientSettings.builder()
                .applyConnectionString(new ConnectionString(db.connectionString()))
                .applyToClusterSettings(cluster -> cluster.serverSelectionTimeout(5, TimeUnit.SECONDS))
                .build());
    }

    private static void ping(MongoClient client) {
        Mono.from(client.getDatabase("admin").runCommand(new Document("ping", 1))).block(WAIT);
    }
}
