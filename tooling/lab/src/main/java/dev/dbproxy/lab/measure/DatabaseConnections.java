package dev.dbproxy.lab.measure;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.bson.Document;
import reactor.core.publisher.Mono;

/**
 * Reads the connections a MongoDB server sees through the standard {@code serverStatus} command, so the same code
 * measures the embedded server and a real MongoDB (Atlas needs a user with the {@code clusterMonitor} role). Its own
 * client holds one pooled and one monitoring connection, which the figures include.
 */
public final class DatabaseConnections implements AutoCloseable {

    /** Connections the lab's own measuring client keeps open, included in every figure. */
    public static final int OWN_CONNECTIONS = 2;

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final MongoClient client;

    /** A gauge of the server named by the connection string; the string is never printed. */
    public DatabaseConnections(String connectionString) {
        this.client = MongoClients.create(MongoClientSettings.builder()
                .applyConnectionString(new ConnectionString(connectionString))
                .applicationName("notes-lab-gauge")
                .applyToConnectionPoolSettings(pool -> pool.maxSize(1))
                .applyToClusterSettings(cluster -> cluster.serverSelectionTimeout(2, TimeUnit.SECONDS))
                .build());
    }

    /**
     * The current figures.
     *
     * @throws IllegalStateException when the server cannot be reached within 5 seconds
     */
    public Reading read() {
        Document status = Mono.from(client.getDatabase("admin").runCommand(new Document("serverStatus", 1)))
                .block(TIMEOUT);
        if (status == null) {
            throw new IllegalStateException("serverStatus returned nothing");
        }
        Document connections = status.get("connections", Document.class);
        return new Reading(
                ((Number) connections.get("current")).longValue(),
                ((Number) connections.get("totalCreated")).longValue());
    }

    @Override
    public void close() {
        client.close();
    }

    /**
     * One reading of {@code serverStatus.connections}.
     *
     * @param current      connections open now
     * @param totalCreated connections created since the server started
     */
    public record Reading(long current, long totalCreated) {
    }
}
