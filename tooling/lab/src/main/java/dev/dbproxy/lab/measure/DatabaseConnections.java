package dev.dbproxy.lab.measure;

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
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Reads the connections a MongoDB server sees, in total through {@code serverStatus} and per client through
 * {@code $currentOp} with {@code idleConnections: true}, grouped by the {@code appName} each client sent in its
 * handshake. The same code reads the embedded server and a real MongoDB; on Atlas the user needs the
 * {@code clusterMonitor} role (it grants {@code serverStatus} and the {@code inprog} privilege of {@code $currentOp}
 * with {@code allUsers: true}). Where the server refuses {@code $currentOp} (no privilege, or a tier without it), the
 * readings say so with {@link Reading#attributed()} false and carry the totals only.
 *
 * <p>The server groups ({@code $group} by {@code appName}), so a reading is one small reply even with hundreds of
 * connections open; only documents with a {@code client} count, which leaves out the internal threads a real server
 * also lists. This gauge's own client holds one pooled and one monitoring connection under {@link #APP_NAME}: the
 * totals include them, the attributed figures name them.
 */
public final class DatabaseConnections implements AutoCloseable {

    /** Connections the lab's own measuring client keeps open, included in every total. */
    public static final int OWN_CONNECTIONS = 2;

    /** The {@code appName} of the lab's own measuring client. */
    public static final String APP_NAME = "notes-lab-gauge";

    /** The key under which connections whose client sent no {@code appName} are counted. */
    public static final String UNNAMED = "(no appName)";

    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final List<Document> PER_APP_NAME = List.of(
            new Document("$currentOp", new Document("allUsers", true).append("idleConnections", true)),
            new Document("$match", new Document("client", new Document("$exists", true))),
            new Document("$group", new Document("_id", "$appName")
                    .append("connections", new Document("$sum", 1))));

    private final MongoClient client;
    private volatile boolean attributing = true;

    /** A gauge of the server named by the connection string; the string is never printed. */
    public DatabaseConnections(String connectionString) {
        this.client = MongoClients.create(MongoClientSettings.builder()
                .applyConnectionString(new ConnectionString(connectionString))
                .applicationName(APP_NAME)
                .applyToConnectionPoolSettings(pool -> pool.maxSize(1))
                .applyToClusterSettings(cluster -> cluster.serverSelectionTimeout(2, TimeUnit.SECONDS))
                .build());
    }

    /**
     * The current figures. Once the server has refused {@code $currentOp}, later readings do not ask again.
     *
     * @throws IllegalStateException when the server cannot be reached within 5 seconds
     */
    public Reading read() {
        Map<String, Long> byAppName = attributing ? perAppName() : null;
        Document status = Mono.from(client.getDatabase("admin").runCommand(new Document("serverStatus", 1)))
                .block(TIMEOUT);
        if (status == null) {
            throw new IllegalStateException("serverStatus returned nothing");
        }
        Document connections = status.get("connections", Document.class);
        return new Reading(
                ((Number) connections.get("current")).longValue(),
                ((Number) connections.get("totalCreated")).longValue(),
                byAppName == null ? Map.of() : byAppName,
                byAppName != null);
    }

    private Map<String, Long> perAppName() {
        List<Document> groups;
        try {
            groups = Flux.from(client.getDatabase("admin").aggregate(PER_APP_NAME)).collectList().block(TIMEOUT);
        } catch (MongoCommandException refused) {
            attributing = false;
            return null;
        }
        Map<String, Long> byAppName = new TreeMap<>();
        for (Document group : groups == null ? List.<Document>of() : groups) {
            Object appName = group.get("_id");
            byAppName.merge(appName instanceof String name && !name.isEmpty() ? name : UNNAMED,
                    ((Number) group.get("connections")).longValue(), Long::sum);
        }
        return byAppName;
    }

    @Override
    public void close() {
        client.close();
    }

    /**
     * One reading.
     *
     * @param current      {@code serverStatus.connections.current}: every connection open now
     * @param totalCreated {@code serverStatus.connections.totalCreated}: connections created since the server started
     * @param byAppName    connections open now per client {@code appName} (sorted; {@link #UNNAMED} for clients that
     *                     sent none), this gauge's own under {@link #APP_NAME}; empty when not {@code attributed}
     * @param attributed   whether the server answered {@code $currentOp}
     */
    public record Reading(long current, long totalCreated, Map<String, Long> byAppName, boolean attributed) {

        public Reading {
            byAppName = Map.copyOf(byAppName);
        }

        /** Connections of every client but this gauge: all appNames except {@link #APP_NAME}. */
        public Map<String, Long> others() {
            Map<String, Long> others = new TreeMap<>(byAppName);
            others.remove(APP_NAME);
            return others;
        }
    }
}
