package dev.dbproxy.lab.measure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import dev.dbproxy.localmongodb.EmbeddedMongoDb;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/** Attribution and leftovers against the embedded server, with real driver clients named like the functions. */
class RunConnectionsIT {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final List<String> PROXY_RUN = List.of("DbProxyFunction");

    @Test
    void read_attributesEveryConnectionToItsClientsAppName() {
        try (EmbeddedMongoDb db = EmbeddedMongoDb.start();
                DatabaseConnections gauge = new DatabaseConnections(db.connectionString());
                MongoClient proxy = connected(db, "DbProxyFunction");
                MongoClient direct = connected(db, "DirectListNotesFunction")) {
            DatabaseConnections.Reading reading = gauge.read();

            assertTrue(reading.attributed());
            assertEquals(reading.current(), reading.byAppName().values().stream().mapToLong(Long::longValue).sum(),
                    reading.toString());
            assertEquals(DatabaseConnections.OWN_CONNECTIONS, reading.byAppName().get(DatabaseConnections.APP_NAME));
            assertEquals(Map.of("DbProxyFunction", reading.byAppName().get("DbProxyFunction")),
                    RunConnections.of(PROXY_RUN).perFunction(reading));
        }
    }

    @Test
    void settle_whenAnEarlierRunsClientCloses_waitsForIt_andCountsNothingOfIt() throws InterruptedException {
        try (EmbeddedMongoDb db = EmbeddedMongoDb.start();
                DatabaseConnections gauge = new DatabaseConnections(db.connectionString())) {
            MongoClient earlier = connected(db, "DirectListNotesFunction");
            List<String> notes = new ArrayList<>();
            Thread closer = Thread.ofPlatform().start(() -> {
                sleep(600);
                earlier.close();
            });

            RunConnections attribution = RunConnections.settle(gauge, PROXY_RUN, WAIT, notes::add);
            closer.join(WAIT.toMillis());

            assertEquals(RunConnections.Handling.GONE, attribution.handling());
            assertEquals(Map.of(), attribution.leftovers());
            assertTrue(attribution.waited().toMillis() >= 500, "waited " + attribution.waited());
            assertEquals(1, notes.size(), notes.toString());
            assertTrue(notes.getFirst().contains("DirectListNotesFunction"), notes.getFirst());
        }
    }

    @Test
    void settle_whenAnotherClientStaysConnected_excludesIt_afterTheBoundedWait() throws InterruptedException {
        try (EmbeddedMongoDb db = EmbeddedMongoDb.start();
                DatabaseConnections gauge = new DatabaseConnections(db.connectionString());
                MongoClient idleEnvironments = connected(db, "DirectListNotesFunction")) {
            long started = System.nanoTime();

            RunConnections attribution = RunConnections.settle(gauge, PROXY_RUN, Duration.ofMillis(500), line -> { });

            assertTrue(System.nanoTime() - started < WAIT.toNanos());
            assertEquals(RunConnections.Handling.EXCLUDED, attribution.handling());
            assertTrue(attribution.leftovers().get("DirectListNotesFunction") >= 1, attribution.leftovers().toString());
            try (MongoClient proxy = connected(db, "DbProxyFunction")) {
                DatabaseConnections.Reading reading = gauge.read();
                assertEquals(reading.byAppName().get("DbProxyFunction"), attribution.own(reading));
            }
        }
    }

    @Test
    void settle_whenTheRunsOwnFunctionHoldsConnectionsAlready_subtractsThem() throws InterruptedException {
        try (EmbeddedMongoDb db = EmbeddedMongoDb.start();
                DatabaseConnections gauge = new DatabaseConnections(db.connectionString());
                MongoClient earlierRun = connected(db, "DbProxyFunction")) {
            RunConnections attribution = RunConnections.settle(gauge, PROXY_RUN, Duration.ofMillis(300), line -> { });
            long before = gauge.read().byAppName().get("DbProxyFunction");

            try (MongoClient thisRun = connected(db, "DbProxyFunction")) {
                DatabaseConnections.Reading reading = gauge.read();

                assertEquals(RunConnections.Handling.SUBTRACTED, attribution.handling());
                assertEquals(reading.byAppName().get("DbProxyFunction"), RunConnections.of(PROXY_RUN).own(reading),
                        "without the subtraction the earlier run's connections would count");
                assertEquals(reading.byAppName().get("DbProxyFunction") - before, attribution.own(reading));
                assertTrue(attribution.own(reading) >= 1, "this run's own client connected");
            }
        }
    }

    /** A client of that appName with its connections open (a ping made it connect). */
    private static MongoClient connected(EmbeddedMongoDb db, String appName) {
        MongoClient client = MongoClients.create(MongoClientSettings.builder()
                .applyConnectionString(new ConnectionString(db.connectionString()))
                .applicationName(appName)
                .applyToClusterSettings(cluster -> cluster.serverSelectionTimeout(5, TimeUnit.SECONDS))
                .build());
        Mono.from(client.getDatabase("admin").runCommand(new Document("ping", 1))).block(WAIT);
        return client;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
