package dev.dbproxy.lambda.platform.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import dev.dbproxy.lambda.environment.FunctionEnvironment;
import dev.dbproxy.lambda.environment.GracefulShutdownExtension;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.bson.Document;
import reactor.core.publisher.Mono;

/**
 * A composition root whose MongoDB pool prunes a connection idle for 300 ms (checked every 100 ms): a timer that only
 * fires while the environment runs. With {@code LAMBDA_GRACEFUL_SHUTDOWN=true} it registers the graceful-shutdown
 * extension, so its client is closed by a shutdown hook on SIGTERM. Not {@link AutoCloseable}: only the process's
 * end closes its connections.
 */
public class IdlePruningMongoHandler implements RequestHandler<Object, String> {

    private final MongoClient client;

    public IdlePruningMongoHandler() {
        Map<String, String> variables = FunctionEnvironment.variables();
        client = MongoClients.create(MongoClientSettings.builder()
                .applyConnectionString(new ConnectionString(variables.get("MONGODB_URI")))
                .applyToConnectionPoolSettings(pool -> pool
                        .maxConnectionIdleTime(300, TimeUnit.MILLISECONDS)
                        .maintenanceFrequency(100, TimeUnit.MILLISECONDS))
                .build());
        GracefulShutdownExtension.closeAtShutdown(variables, client);
    }

    @Override
    public String handleRequest(Object input, Context context) {
        Document reply = Mono.from(client.getDatabase("admin").runCommand(new Document("ping", 1)))
                .block(Duration.ofSeconds(5));
        return reply == null ? "no reply" : "pong";
    }
}
