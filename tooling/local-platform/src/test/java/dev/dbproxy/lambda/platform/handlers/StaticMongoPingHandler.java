package dev.dbproxy.lambda.platform.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import dev.dbproxy.lambda.environment.FunctionEnvironment;
import java.time.Duration;
import org.bson.Document;
import reactor.core.publisher.Mono;

/** Holds its MongoClient in a static field and is not AutoCloseable: only the platform's teardown sweep can close it. */
public class StaticMongoPingHandler implements RequestHandler<Object, String> {

    private static final MongoClient CLIENT = MongoClients.create(FunctionEnvironment.variables().get("MONGODB_URI"));

    @Override
    public String handleRequest(Object input, Context context) {
        Mono.from(CLIENT.getDatabase("admin").runCommand(new Document("ping", 1))).block(Duration.ofSeconds(5));
        return "pong";
    }
}
