package dev.dbproxy.lab.bench;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dbproxy.lambda.platform.FunctionDefinition;
import dev.dbproxy.lambda.platform.LocalLambdaPlatform;
import dev.dbproxy.localmongodb.EmbeddedMongoDb;
import dev.dbproxy.proxy.client.DbProxySettings;
import dev.dbproxy.proxy.client.ProxyCollection;
import dev.dbproxy.proxy.protocol.ExtendedJson;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.bson.types.ObjectId;

/**
 * The DB proxy function as the benchmarks deploy it (the notes collection, the reads they make and inserts), and what
 * the proxy client benchmarks share: client settings for a local platform, seeded notes, percentiles.
 */
final class BenchmarkProxyFunction {

    static final String NAME = "db-proxy";
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private BenchmarkProxyFunction() {
    }

    static FunctionDefinition on(EmbeddedMongoDb db) {
        return FunctionDefinition.builder(NAME, "dev.dbproxy.proxy.handler.DbProxyHandler")
                .memoryMb(512).timeout(Duration.ofSeconds(6))
                .environmentVariable("MONGODB_URI", db.connectionString())
                .environmentVariable("PROXY_ALLOWED_DATABASE", "notes")
                .environmentVariable("PROXY_ALLOWED_COLLECTIONS", "notes")
                .environmentVariable("PROXY_ALLOWED_ACTIONS", "find,findOne,countDocuments,insertOne")
                .build();
    }

    /** DB proxy client settings for this function on {@code platform}'s Invoke API. */
    static DbProxySettings clientSettings(LocalLambdaPlatform platform) {
        return DbProxySettings.fromEnv(Map.of("DB_PROXY_FUNCTION", NAME,
                "AWS_ENDPOINT_URL_LAMBDA", platform.invokeEndpoint().toString(),
                "AWS_ACCESS_KEY_ID", "local", "AWS_SECRET_ACCESS_KEY", "local"));
    }

    /** Inserts {@code count} notes through {@code notes} and returns an {@code _id} filter for each. */
    static List<ObjectNode> seedNotes(ProxyCollection notes, int count) {
        List<ObjectNode> filters = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String id = new ObjectId().toHexString();
            notes.insertOne(JSON.objectNode().<ObjectNode>set("_id", ExtendedJson.objectId(id))
                    .put("title", "note " + i)).block(WAIT);
            filters.add(JSON.objectNode().set("_id", ExtendedJson.objectId(id)));
        }
        return filters;
    }

    /** The {@code rank} percentile (0 to 1, nearest rank) of durations in nanoseconds, in milliseconds. */
    static double percentileMillis(Collection<Long> nanos, double rank) {
        long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
        return sorted[(int) Math.min(sorted.length - 1, Math.round(rank * (sorted.length - 1)))] / 1e6;
    }
}
