package dev.dbproxy.proxy.handler;

import static dev.dbproxy.proxy.handler.HandlerInvoker.error;
import static dev.dbproxy.proxy.handler.HandlerInvoker.invoke;
import static dev.dbproxy.proxy.handler.HandlerInvoker.json;
import static dev.dbproxy.proxy.handler.HandlerInvoker.op;
import static dev.dbproxy.proxy.handler.HandlerInvoker.request;
import static dev.dbproxy.proxy.handler.HandlerInvoker.result;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import dev.dbproxy.lambda.environment.FunctionEnvironment;
import dev.dbproxy.localmongodb.ConnectionStats;
import dev.dbproxy.localmongodb.EmbeddedMongoDb;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A database that is down, silent or restarting; the connections one environment opens; shutdown; a failure the proxy
 * did not foresee.
 */
class DbProxyHandlerAvailabilityIT {

    @Test
    void databaseDown_failsWithDatabaseUnavailable_boundedByServerSelection_withoutLeakingTheUri()
            throws IOException {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = probe.getLocalPort();
        }
        Map<String, String> env = HandlerInvoker.environment(
                "mongodb://proxy:s3cr3t-pw@127.0.0.1:" + closedPort + "/app");
        env.put(DbProxySettings.MONGODB_SERVER_SELECTION_TIMEOUT_MS, "300");
        try (DbProxyHandler handler = new DbProxyHandler(DbProxySettings.fromEnv(env))) {
            long started = System.nanoTime();
            JsonNode response = invoke(handler, request(false, "canonical", 20_000, String.join(",",
                    op("updateMany", "\"filter\": {}, \"update\": {\"$inc\": {\"n\": 1}}"),
                    op("findOne", "\"filter\": {}"),
                    op("insertOne", "\"document\": {\"_id\": 1}"))));
            long elapsedMillis = (System.nanoTime() - started) / 1_000_000;

            for (int index = 0; index < 3; index++) {
                JsonNode error = error(response, index);
                assertEquals("DATABASE_UNAVAILABLE", error.path("code").asText());
                assertTrue(error.path("retryable").asBoolean());
                assertFalse(error.path("message").asText().contains("may or may not have applied"),
                        "no server was selected: the write was never sent");
            }
            assertTrue(error(response, 2).path("message").asText().contains("not sent"),
                    "the later operations did not wait for the database again");
            assertTrue(elapsedMillis < 5_000, () -> "bounded by the 300 ms server selection timeout (one wait for the"
                    + " whole batch), not by the 20 s deadline; took " + elapsedMillis + " ms");
            String text = response.toString();
            assertFalse(text.contains("s3cr3t"));
            assertFalse(text.contains(Integer.toString(closedPort)));
        }
    }

    /**
     * A server that accepts connections but never answers is never selected (its handshake never completes): the
     * deadline ends the server selection, and the write was never sent.
     */
    @Test
    void silentDatabase_failsAsUnavailable_atTheCallersDeadline_withoutAWriteWarning() throws IOException {
        try (ServerSocket silent = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            List<Socket> accepted = new ArrayList<>();
            Thread acceptor = Thread.ofVirtual().start(() -> {
                try {
                    while (true) {
                        accepted.add(silent.accept());
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            });
            Map<String, String> env = HandlerInvoker.environment("mongodb://127.0.0.1:" + silent.getLocalPort());
            env.put(DbProxySettings.MONGODB_SERVER_SELECTION_TIMEOUT_MS, "10000");
            try (DbProxyHandler handler = new DbProxyHandler(DbProxySettings.fromEnv(env))) {
                long started = System.nanoTime();
                JsonNode response = invoke(handler, request(true, "canonical", 400, String.join(",",
                        op("updateOne", "\"filter\": {}, \"update\": {\"$set\": {\"a\": 1}}"),
                        op("countDocuments", ""))));
                long elapsedMillis = (System.nanoTime() - started) / 1_000_000;

                JsonNode error = error(response, 0);
                assertEquals("DATABASE_UNAVAILABLE", error.path("code").asText());
                assertTrue(error.path("retryable").asBoolean());
                assertEquals("no database server was reachable in time; retry later",
                        error.path("message").asText());
                assertEquals("skipped", response.path("results").path(1).path("status").asText());
                assertTrue(elapsedMillis < 5_000, () -> "bounded by the 400 ms deadline; took " + elapsedMillis);
            } finally {
                silent.close();
                acceptor.interrupt();
                for (Socket socket : accepted) {
                    socket.close();
                }
            }
        }
    }

    @Test
    void databaseThatStopsAndRestarts_isUnavailableMeanwhile_andServesAgainAfter() {
        try (EmbeddedMongoDb mongoDb = EmbeddedMongoDb.start()) {
            Map<String, String> env = HandlerInvoker.environment(mongoDb.connectionString());
            env.put(DbProxySettings.MONGODB_SERVER_SELECTION_TIMEOUT_MS, "500");
            try (DbProxyHandler handler = new DbProxyHandler(DbProxySettings.fromEnv(env))) {
                result(invoke(handler, request(op("insertOne", "\"document\": {\"_id\": 1}"))), 0);

                mongoDb.stop();
                JsonNode during = invoke(handler, request(op("countDocuments", "")));
                mongoDb.restart();
                JsonNode after = invoke(handler, request(op("countDocuments", "")));

                assertEquals("DATABASE_UNAVAILABLE", error(during, 0).path("code").asText());
                assertEquals(1, result(after, 0).path("count").asLong());
            }
        }
    }

    @Test
    void writeConcernFailure_isRetryableDatabaseUnavailable_thatMayHaveApplied_evenForARetriedInsert() {
        try (EmbeddedMongoDb mongoDb = EmbeddedMongoDb.start();
             DbProxyHandler handler = new DbProxyHandler(
                     DbProxySettings.fromEnv(HandlerInvoker.environment(mongoDb.connectionString())))) {
            String insertMany = request(op("insertMany", "\"documents\": [{\"_id\": \"w1\"}, {\"_id\": \"w2\"}]"));
            mongoDb.failWriteConcern(true);

            JsonNode first = invoke(handler, insertMany);
            JsonNode retriedWhileFailing = invoke(handler, insertMany);
            String insertOne = request(op("insertOne", "\"document\": {\"_id\": \"w3\"}"));
            JsonNode firstSingle = invoke(handler, insertOne);
            JsonNode retriedSingleWhileFailing = invoke(handler, insertOne);
            JsonNode update = invoke(handler, request(op("updateOne",
                    "\"filter\": {\"_id\": \"w3\"}, \"update\": {\"$set\": {\"n\": 1}}")));
            mongoDb.failWriteConcern(false);
            JsonNode retriedAfter = invoke(handler, insertMany);

            for (JsonNode response : List.of(first, retriedWhileFailing, firstSingle, retriedSingleWhileFailing)) {
                JsonNode error = error(response, 0);
                assertEquals("DATABASE_UNAVAILABLE", error.path("code").asText(), response::toString);
                assertTrue(error.path("retryable").asBoolean());
                assertTrue(error.path("message").asText().contains("the insert may or may not have applied"),
                        response::toString);
            }
            assertTrue(error(update, 0).path("message").asText().contains("the write may or may not have applied"));
            assertEquals(json("[\"w1\", \"w2\"]"), result(retriedAfter, 0).path("insertedIds"),
                    "once confirmed, the retry of the identical documents counts as inserted");
            assertEquals(3, result(invoke(handler, request(op("countDocuments", ""))), 0).path("count").asLong());
        }
    }

    @Test
    void oneEnvironment_opensAtMostTwoConnections_evenUnderConcurrentInvocations() throws Exception {
        try (EmbeddedMongoDb mongoDb = EmbeddedMongoDb.start();
             DbProxyHandler handler = new DbProxyHandler(
                     DbProxySettings.fromEnv(HandlerInvoker.environment(mongoDb.connectionString())))) {
            String batch = String.join(",",
                    op("updateOne", "\"filter\": {\"_id\": \"c\"}, \"update\": {\"$inc\": {\"n\": 1}},"
                            + " \"upsert\": true"),
                    op("find", "\"limit\": 10"),
                    op("countDocuments", ""));
            for (int i = 0; i < 30; i++) {
                result(invoke(handler, request(batch)), 2);
            }
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<JsonNode>> responses = new ArrayList<>();
                for (int i = 0; i < 40; i++) {
                    responses.add(pool.submit(() -> invoke(handler, request(batch))));
                }
                for (Future<JsonNode> response : responses) {
                    result(response.get(30, TimeUnit.SECONDS), 0);
                }
            } finally {
                pool.shutdown();
            }

            ConnectionStats stats = mongoDb.connectionStats();
            assertTrue(stats.current() <= 2, () -> "pool of 1 + monitor; server saw " + stats);
            assertTrue(stats.totalCreated() <= 2, () -> "connections are reused, never re-opened; " + stats);
            assertEquals(70, result(invoke(handler, request(op("findOne", "\"filter\": {\"_id\": \"c\"}"))), 0)
                    .path("document").path("n").path("$numberInt").asInt());
        }
    }

    static Stream<Arguments> waysToClose() {
        return Stream.of(
                Arguments.of("close()", (Consumer<DbProxyHandler>) DbProxyHandler::close),
                // What the JVM runs on the SIGTERM of Lambda's SHUTDOWN phase (AWS never calls close()).
                Arguments.of("the shutdown hook", (Consumer<DbProxyHandler>) handler -> handler.shutdownHook().run()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("waysToClose")
    void closing_releasesEveryConnection_leavesNoShutdownHook_andClosingAgainIsHarmless(
            String how, Consumer<DbProxyHandler> closing) {
        try (EmbeddedMongoDb mongoDb = EmbeddedMongoDb.start()) {
            DbProxyHandler handler = new DbProxyHandler(
                    DbProxySettings.fromEnv(HandlerInvoker.environment(mongoDb.connectionString())));
            result(invoke(handler, request(op("countDocuments", ""))), 0);
            assertTrue(mongoDb.connectionStats().current() > 0);

            closing.accept(handler);

            await("every connection closed").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                    .until(() -> mongoDb.connectionStats().current() == 0);
            assertFalse(Runtime.getRuntime().removeShutdownHook(handler.shutdownHook()), "no hook left behind");
            assertDoesNotThrow(handler::close);
        }
    }

    @Test
    void operationFailingUnexpectedly_getsInternal_withAMessagePointingToTheLog_andNoDriverDetails() {
        try (EmbeddedMongoDb mongoDb = EmbeddedMongoDb.start()) {
            DbProxySettings settings = DbProxySettings.fromEnv(HandlerInvoker.environment(mongoDb.connectionString()));
            MongoClient client = MongoClients.create(settings.toMongoClientSettings());
            try (DbProxyHandler handler = new DbProxyHandler(settings, client)) {
                // A client closed under the handler throws IllegalStateException: a failure no translation knows.
                client.close();

                JsonNode response = invoke(handler, request(op("countDocuments", "")));

                JsonNode error = error(response, 0);
                assertEquals("INTERNAL", error.path("code").asText());
                assertFalse(error.path("retryable").asBoolean());
                String message = error.path("message").asText();
                assertTrue(message.contains("log has the details"), message);
                for (String detail : List.of("IllegalState", "state should be", "com.mongodb", "\tat ", "\n",
                        Integer.toString(mongoDb.port()))) {
                    assertFalse(message.contains(detail), () -> "'" + detail + "' in " + message);
                }
            }
        }
    }

    @Test
    void handlerBuildingItsClient_registersAShutdownHook() {
        try (EmbeddedMongoDb mongoDb = EmbeddedMongoDb.start();
             DbProxyHandler handler = new DbProxyHandler(
                     DbProxySettings.fromEnv(HandlerInvoker.environment(mongoDb.connectionString())))) {
            Thread hook = handler.shutdownHook();
            assertTrue(Runtime.getRuntime().removeShutdownHook(hook), "registered at construction");
            Runtime.getRuntime().addShutdownHook(hook);
        }
    }

    @Test
    void handlerOnAClientBuiltElsewhere_registersNoShutdownHook() {
        try (EmbeddedMongoDb mongoDb = EmbeddedMongoDb.start();
             DbProxyHandler handler = new DbProxyHandler(
                     DbProxySettings.fromEnv(HandlerInvoker.environment(mongoDb.connectionString())),
                     MongoClients.create(mongoDb.connectionString()))) {
            assertNull(handler.shutdownHook());
        }
    }

    @Test
    void noArgConstructor_readsTheFunctionEnvironment_asTheLambdaRuntimeUsesIt() {
        try (EmbeddedMongoDb mongoDb = EmbeddedMongoDb.start()) {
            FunctionEnvironment.install(HandlerInvoker.environment(mongoDb.connectionString()));
            try (DbProxyHandler handler = new DbProxyHandler()) {
                JsonNode response = invoke(handler, request(op("insertOne", "\"document\": {\"_id\": \"env\"}")));

                assertEquals("env", result(response, 0).path("insertedId").asText());
            }
        }
    }
}
