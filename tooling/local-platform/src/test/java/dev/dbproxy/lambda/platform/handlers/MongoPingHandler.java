package dev.dbproxy.lambda.platform.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import dev.dbproxy.lambda.environment.FunctionEnvironment;
import java.time.Duration;
import org.bson.Document;
import reactor.core.publisher.Mono;

/**
 * Holds a MongoClient built once per environment (as a composition root does) and pings through it. It is
 * {@link AutoCloseable}: the GRACEFUL reclaim mode closes it. The client is also published in a static field so that
 * a non-closeable variant can be torn down by the platform's sweep.
 */
public class MongoPingHandler implements RequestHandler<Object, String>, AutoCloseable {

    private final MongoClient client = MongoClients.create(FunctionEnvironment.variables().get("MONGODB_URI"));

    @Override
    public String handleRequest(Object input, Context context) {
        Document reply = Mono.from(client.getDatabase("admin").runCommand(new Document("ping", 1))).block(Duration.ofSeconds(5));
        return reply == null ? "no reply" : "pong";
    }

    @Override
    public void close() {
        client.close();
    }
}
