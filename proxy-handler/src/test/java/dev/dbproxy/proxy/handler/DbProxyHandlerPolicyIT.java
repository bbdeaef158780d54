package dev.dbproxy.proxy.handler;

import static dev.dbproxy.proxy.handler.HandlerInvoker.error;
import static dev.dbproxy.proxy.handler.HandlerInvoker.invoke;
import static dev.dbproxy.proxy.handler.HandlerInvoker.op;
import static dev.dbproxy.proxy.handler.HandlerInvoker.request;
import static dev.dbproxy.proxy.handler.HandlerInvoker.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import dev.dbproxy.localmongodb.EmbeddedMongoDb;
import java.time.Duration;
import java.util.Map;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The deny-by-default policy, end to end: refused operations never reach the database. */
class DbProxyHandlerPolicyIT {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private static EmbeddedMongoDb mongoDb;
    private static MongoClient verifier;
    private static DbProxyHandler handler;

    @BeforeAll
    static void start() {
        mongoDb = EmbeddedMongoDb.start();
        verifier = MongoClients.create(mongoDb.connectionString());
        Mono.from(verifier.getDatabase("app").getCollection("notes")
                .insertOne(new Document("_id", "n1").append("u", "u1"))).block(WAIT);
        Mono.from(verifier.getDatabase("app").getCollection("users")
                .insertOne(new Document("_id", "u1").append("secret", "s"))).block(WAIT);
        handler = new DbProxyHandler(DbProxySettings.fromEnv(HandlerInvoker.environment(mongoDb.connectionString())));
    }

    @AfterAll
    static void stop() {
        handler.close();
        verifier.close();
        mongoDb.close();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.dbproxy.proxy.handler.ForbiddenOperations#all")
    void forbiddenOperation_isRefusedWithForbidden_andChangesNothing(String what, String operation) {
        JsonNode response = invoke(handler, request(operation));

        JsonNode error = error(response, 0);
        assertEquals("FORBIDDEN", error.path("code").asText(), what);
        assertFalse(error.path("retryable").asBoolean());
        assertEquals(0L, Mono.from(verifier.getDatabase("app").getCollection("archive").countDocuments()).block(WAIT),
                "no stage wrote to archive");
        assertEquals(1L, Mono.from(verifier.getDatabase("app").getCollection("notes").countDocuments()).block(WAIT));
        assertFalse(Flux.from(verifier.getDatabase("app").getCollection("notes").find())
                .any(document -> document.containsKey("x")).block(WAIT), "no update applied");
    }

    @Test
    void lookupWithinTheAllowlist_runs() {
        Mono.from(verifier.getDatabase("app").getCollection("archive").drop()).block(WAIT);

        JsonNode response = invoke(handler, request(op("aggregate", """
                "pipeline": [{"$lookup": {"from": "archive", "localField": "u", "foreignField": "_id", "as": "a"}}]""")));

        assertEquals(0, result(response, 0).path("documents").get(0).path("a").size());
    }

    @Test
    void actionOutsideTheAllowlist_isRefused_evenOnAnAllowedCollection() {
        Map<String, String> env = HandlerInvoker.environment(mongoDb.connectionString());
        env.put(DbProxySettings.PROXY_ALLOWED_ACTIONS, "find,findOne,countDocuments");
        try (DbProxyHandler readOnly = new DbProxyHandler(DbProxySettings.fromEnv(env))) {
            JsonNode response = invoke(readOnly, request(false, "canonical", 10_000, String.join(",",
                    op("deleteMany", "\"filter\": {}"),
                    op("countDocuments", ""))));

            assertEquals("FORBIDDEN", error(response, 0).path("code").asText());
            assertEquals(1, result(response, 1).path("count").asLong());
        }
    }
}
