package dev.dbproxy.examples.tasks.functions;

import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import dev.dbproxy.lambda.platform.FunctionDefinition;
import dev.dbproxy.lambda.platform.LocalLambdaPlatform;
import dev.dbproxy.localmongodb.EmbeddedMongoDb;
import java.time.Duration;
import java.util.Map;
import org.bson.Document;
import reactor.core.publisher.Mono;

/**
 * Both strategies on one machine, on one database: the embedded MongoDB, and the local Lambda platform hosting the
 * real {@code DbProxyHandler} with the policy of the template ({@code tasks.tasks}, the four actions the adapter uses).
 * {@link #environment} is what a business function of either strategy would be given.
 */
final class LocalTasksStack implements AutoCloseable {

    private static final String PROXY = "tasks-db-proxy";

    private final EmbeddedMongoDb db = EmbeddedMongoDb.start();
    private final LocalLambdaPlatform platform = LocalLambdaPlatform.start();
    private final MongoClient admin = MongoClients.create(db.connectionString());

    LocalTasksStack() {
        FunctionDefinition.Builder proxy = FunctionDefinition.builder(PROXY, "dev.dbproxy.proxy.handler.DbProxyHandler")
                .memoryMb(512)
                .timeout(Duration.ofSeconds(6))
                .reservedConcurrency(4);
        Map.of("MONGODB_URI", db.connectionString(),
                "MONGODB_SERVER_SELECTION_TIMEOUT_MS", "500",
                "PROXY_ALLOWED_DATABASE", "tasks",
                "PROXY_ALLOWED_COLLECTIONS", "tasks",
                "PROXY_ALLOWED_ACTIONS", "find,findOne,insertOne,updateOne,deleteOne")
                .forEach(proxy::environmentVariable);
        platform.deploy(proxy.build());
    }

    /** The environment of a business function of {@code strategy} ({@code direct} or {@code lambda-proxy}). */
    Map<String, String> environment(String strategy) {
        return strategy.equals("direct")
                ? Map.of("TASKS_REPOSITORY", "direct", "MONGODB_URI", db.connectionString())
                : Map.of("TASKS_REPOSITORY", "lambda-proxy",
                        "DB_PROXY_FUNCTION", platform.functionArn(PROXY),
                        "AWS_ENDPOINT_URL_LAMBDA", platform.invokeEndpoint().toString(),
                        "AWS_REGION", "us-east-1",
                        "AWS_ACCESS_KEY_ID", "local",
                        "AWS_SECRET_ACCESS_KEY", "local");
    }

    /** Removes every task, so that each test starts empty. */
    void clear() {
        Mono.from(admin.getDatabase("tasks").getCollection("tasks").deleteMany(new Document()))
                .block(Duration.ofSeconds(10));
    }

    /** How many invocations the DB proxy function has started. */
    long proxyInvocations() {
        return platform.metrics(PROXY).invocations();
    }

    @Override
    public void close() {
        admin.close();
        platform.close();
        db.close();
    }
}
