package dev.dbproxy.localmongodb;

import de.bwaldvogel.mongo.backend.aggregation.Aggregation;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.exception.MongoServerError;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * MongoDB's {@code $currentOp} aggregation stage and the legacy {@code currentOp} command over the server's client
 * connections, in the shape MongoDB 4.2+ gives them, so that code that attributes connections to applications reads
 * the embedded server and a real MongoDB alike: one document per client connection with {@code type: "op"},
 * {@code host}, {@code desc}, {@code connectionId}, {@code client} ({@code host:port}), {@code appName} and
 * {@code clientMetadata} (as sent in the handshake; absent when the client sent none), {@code active} and
 * {@code currentOpTime}; active ones also carry {@code opid}, {@code op: "command"}, {@code ns}, {@code command},
 * {@code secs_running} and {@code microsecs_running}.
 *
 * <p>The stages after {@code $currentOp} run on mongo-java-server's own aggregation engine ({@code $match},
 * {@code $group}, {@code $project}, {@code $sort}, {@code $count}, ...). Not modelled: internal threads (a real
 * server also lists them when {@code idleConnections} is true, without a {@code client}), sessions, cursors, and
 * users ({@code allUsers} is accepted; there is no access control here).
 */
final class CurrentOperations {

    /** MongoDB's codes for the errors this class answers with. */
    static final int INVALID_NAMESPACE = 73;
    static final int NOT_FIRST_STAGE = 40602;
    static final int UNKNOWN_FIELD = 40415;
    static final int WRITING_STAGE = 40612;

    private static final String STAGE = "$currentOp";
    private static final Set<String> OPTIONS = Set.of("allUsers", "idleConnections", "idleCursors", "idleSessions",
            "localOps", "backtrace", "truncateOps", "targetAllNodes");
    /** Fields of a {@code currentOp} command that are not part of its filter. */
    private static final Set<String> COMMAND_FIELDS = Set.of("currentOp", "$all", "$ownOps", "$db", "lsid",
            "comment", "$readPreference", "$clusterTime", "apiVersion", "apiStrict", "apiDeprecationErrors");
    private static final DateTimeFormatter OP_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX");

    private final Supplier<String> host;

    /** @param host the server's {@code host:port}, reported in every document as MongoDB does */
    CurrentOperations(Supplier<String> host) {
        this.host = host;
    }

    /** Whether an {@code aggregate} command's pipeline starts with {@code $currentOp}. */
    static boolean isCurrentOpAggregation(Document command) {
        return command.get("pipeline") instanceof List<?> pipeline && !pipeline.isEmpty()
                && pipeline.getFirst() instanceof Document first && first.containsKey(STAGE);
    }

    /**
     * Answers {@code {aggregate: 1, pipeline: [{$currentOp: {...}}, ...], cursor: {}}} with every result in the
     * first batch.
     *
     * @throws MongoServerError code 73 when not run on {@code admin} with {@code aggregate: 1}, 40602 when
     *                          {@code $currentOp} is not the first stage, 40415 for an unknown option, 40612 for a
     *                          writing stage
     */
    Document aggregate(String database, Document command, Collection<ClientConnection> connections) {
        if (!database.equals("admin") || !(command.get("aggregate") instanceof Number)) {
            throw new MongoServerError(INVALID_NAMESPACE, "InvalidNamespace",
                    "$currentOp must be run against the 'admin' database with {aggregate: 1}");
        }
        List<Document> pipeline = Aggregation.parse(command.get("pipeline"));
        Document options = pipeline.getFirst().get(STAGE) instanceof Document given ? given : new Document();
        for (String option : options.keySet()) {
            if (!OPTIONS.contains(option)) {
                throw new MongoServerError(UNKNOWN_FIELD, "Location40415",
                        "BSON field '$currentOp." + option + "' is an unknown field.");
            }
        }
        List<Document> rest = pipeline.subList(1, pipeline.size());
        if (rest.stream().anyMatch(stage -> stage.containsKey(STAGE))) {
            throw new MongoServerError(NOT_FIRST_STAGE, "Location40602",
                    "$currentOp is only valid as the first stage in a pipeline");
        }
        Aggregation stages = Aggregation.fromPipeline(rest, name -> null, null, null, null);
        if (stages.isModifying()) {
            throw new MongoServerError(WRITING_STAGE, "Location40612",
                    "a $currentOp pipeline must not write ($out, $merge)");
        }
        boolean idle = Boolean.TRUE.equals(options.get("idleConnections"));
        List<Document> results = stages.runStages(documents(connections, idle));
        Document cursor = new Document("id", 0L)
                .append("ns", "admin.$cmd.aggregate")
                .append("firstBatch", results);
        return new Document("cursor", cursor).append("ok", 1.0);
    }

    /**
     * Answers the legacy {@code {currentOp: 1, $all: <bool>, <filter>...}}: {@code {inprog: [...]}}, idle
     * connections included only with {@code $all}, filtered by the command's other fields as a {@code $match}.
     */
    Document command(Document command, Collection<ClientConnection> connections) {
        Document filter = new Document();
        command.forEach((field, value) -> {
            if (!COMMAND_FIELDS.contains(field)) {
                filter.put(field, value);
            }
        });
        boolean all = Boolean.TRUE.equals(command.get("$all"));
        Aggregation match = Aggregation.fromPipeline(List.of(new Document("$match", filter)), name -> null, null,
                null, null);
        return new Document("inprog", match.runStages(documents(connections, all))).append("ok", 1.0);
    }

    /** The legacy query on {@code $cmd.sys.inprog}: active operations only. */
    List<Document> activeOperations(Collection<ClientConnection> connections) {
        return documents(connections, false).toList();
    }

    private Stream<Document> documents(Collection<ClientConnection> connections, boolean idleConnections) {
        String now = OffsetDateTime.now(ZoneOffset.UTC).format(OP_TIME);
        long nowNanos = System.nanoTime();
        List<Document> documents = new ArrayList<>();
        for (ClientConnection connection : connections) {
            ClientConnection.RunningCommand running = connection.command();
            if (running == null && !idleConnections) {
                continue;
            }
            Document document = new Document("type", "op")
                    .append("host", host.get())
                    .append("desc", "conn" + connection.connectionId())
                    .append("connectionId", connection.connectionId())
                    .append("client", connection.client());
            document.putIfNotNull("appName", connection.appName());
            document.putIfNotNull("clientMetadata", connection.clientMetadata());
            document.append("active", running != null).append("currentOpTime", now);
            if (running != null) {
                long micros = TimeUnit.NANOSECONDS.toMicros(Math.max(0, nowNanos - running.startedNanos()));
                document.append("opid", running.opid())
                        .append("secs_running", micros / 1_000_000)
                        .append("microsecs_running", micros)
                        .append("op", "command")
                        .append("ns", running.namespace())
                        .append("command", running.command());
            }
            documents.add(document);
        }
        return documents.stream();
    }
}
