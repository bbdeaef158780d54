package dev.dbproxy.notes.adapter.lambdaproxy;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import dev.dbproxy.lambda.platform.FunctionDefinition;
import dev.dbproxy.lambda.platform.LocalLambdaPlatform;
import dev.dbproxy.localmongodb.EmbeddedMongoDb;
import dev.dbproxy.notes.core.port.NoteRepository;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.bson.Document;
import reactor.core.publisher.Mono;

/**
 * The real path of the proxy strategy on one machine: the embedded MongoDB, the local Lambda platform hosting the
 * real {@code DbProxyHandler}, and repositories that reach it through the real AWS SDK over HTTP.
 */
final class LocalProxyStack implements AutoCloseable {

    static final String PROXY = "db-proxy";
    static final String DATABASE = "notes";
    static final String COLLECTION = "notes";

    final EmbeddedMongoDb db = EmbeddedMongoDb.start();
    final LocalLambdaPlatform platform = LocalLambdaPlatform.start();
    private final MongoClient admin = MongoClients.create(db.connectionString());

    LocalProxyStack(int reservedConcurrency) {
        this(reservedConcurrency, Map.of());
    }

    /** A stack whose proxy function has {@code proxyEnvironment} added to (or replacing) its usual settings. */
    LocalProxyStack(int reservedConcurrency, Map<String, String> proxyEnvironment) {
        Map<String, String> env = new HashMap<>(Map.of(
                "MONGODB_URI", db.connectionString(),
                "MONGODB_SERVER_SELECTION_TIMEOUT_MS", "500",
                "PROXY_ALLOWED_DATABASE", DATABASE,
                "PROXY_ALLOWED_COLLECTIONS", COLLECTION,
                "PROXY_ALLOWED_ACTIONS", "find,findOne,countDocuments,insertOne,updateOne,deleteOne"));
        env.putAll(proxyEnvironment);
        FunctionDefinition.Builder proxy = FunctionDefinition.builder(PROXY, "dev.dbproxy.proxy.handler.DbProxyHandler")
                .memoryMb(512)
                .timeout(Duration.ofSeconds(6))
                .reservedConcurrency(reservedConcurrency);
        env.forEach(proxy::environmentVariable);
        platform.deploy(proxy.build());
    }

    /** A repository configured as a business function would be, pointed at this platform. */
    NoteRepository repository(Map<String, String> extra) {
        return new LambdaProxyNoteRepositoryProvider().create(environment(extra));
    }

    /** The environment of a business function pointed at this platform, with {@code extra} added. */
    Map<String, String> environment(Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(Map.of(
                "NOTES_PROXY_FUNCTION", platform.functionArn(PROXY),
                "AWS_ENDPOINT_URL_LAMBDA", platform.invokeEndpoint().toString(),
                "AWS_REGION", "us-east-1",
                "AWS_ACCESS_KEY_ID", "local",
                "AWS_SECRET_ACCESS_KEY", "local"));
        env.putAll(extra);
        return env;
    }

    /** Removes every note, so that each test starts empty. */
    void clear() {
        admin.getDatabase(DATABASE).getCollection(COLLECTION).deleteMany(new Document());
    }

    long proxyInvocations() {
        return platform.metrics(PROXY).invocations();
    }

    /**
     * How many invocations {@code function} has started, read once it has started at least one and runs none any
     * more (an invocation counts as it starts, so a retry would have been counted by then).
     */
    long invocationsOnceIdle(String function) {
        long waitUntil = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while ((platform.metrics(function).invocations() == 0 || platform.environmentCounts(function).busy() > 0)
                && System.nanoTime() < waitUntil) {
            Mono.delay(Duration.ofMillis(50)).block();
        }
        return platform.metrics(function).invocations();
    }

    @Override
    public void close() {
        admin.close();
        platform.close();
        db.close();
    }
}
