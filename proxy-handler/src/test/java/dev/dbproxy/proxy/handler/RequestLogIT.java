package dev.dbproxy.proxy.handler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import dev.dbproxy.localmongodb.EmbeddedMongoDb;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The proxy's log: one JSON object per line, written to the invocation's logger (this test's context prints it on
 * stderr, as Lambda collects it), with Lambda's {@code timestamp}, {@code level} and {@code message} fields and the
 * caller's {@code requestId}. {@code PROXY_LOG_REQUESTS} decides which requests get a line: every request by default,
 * or only the rejected ones and those with a failed operation. An unexpected failure has its cause chain.
 */
class RequestLogIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final PrintStream originalErr = System.err;
    private static EmbeddedMongoDb mongoDb;
    private final ByteArrayOutputStream capturedErr = new ByteArrayOutputStream();

    @BeforeAll
    static void startDatabase() {
        mongoDb = EmbeddedMongoDb.start();
    }

    @AfterAll
    static void stopDatabase() {
        mongoDb.close();
    }

    @BeforeEach
    void captureStderr() {
        System.setErr(new PrintStream(capturedErr, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreStderr() {
        System.setErr(originalErr);
    }

    @Test
    void byDefault_everyRequestIsLogged() {
        try (DbProxyHandler handler = handler(Map.of())) {
            String succeeded = requestIdOf(HandlerInvoker.invoke(handler, findAll()));

            JsonNode line = lineOf(succeeded);
            assertEquals("INFO", line.path("level").asText());
            assertEquals("request completed", line.path("message").asText());
            assertEquals(1, line.path("operations").asInt());
            assertEquals(0, line.path("failed").asInt());
            assertTrue(line.path("coldStart").asBoolean());
            assertTrue(line.path("serverTimeMs").isIntegralNumber());
            assertFalse(line.path("awsRequestId").asText().isEmpty());
            assertTrue(Instant.parse(line.path("timestamp").asText()).isAfter(Instant.now().minusSeconds(60)));
            JsonNode ready = loggedLines().stream()
                    .filter(logged -> logged.path("message").asText().equals("DB proxy ready")).findFirst()
                    .orElseThrow(() -> new AssertionError("no ready line in " + logged()));
            assertTrue(ready.path("settings").asText().contains("mongoDbUri=<hidden>"), ready::toString);
        }
    }

    @Test
    void aVersion2Request_isLoggedUnderTheSendersId_namingItsCallersIds_atMostTen() {
        try (DbProxyHandler handler = handler(Map.of())) {
            StringBuilder operations = new StringBuilder();
            for (int caller = 0; caller < 12; caller++) {
                String id = "caller-" + caller + "/1";
                operations.append(caller == 0 ? "" : ", ").append(HandlerInvoker.callerOp(id, 10_000,
                        "countDocuments", "")).append(", ").append(HandlerInvoker.callerOp(id, 10_000, "find", ""));
            }

            HandlerInvoker.invoke(handler, HandlerInvoker.version2Request("test-sender/1", 10_000,
                    operations.toString()), 2);

            JsonNode line = lineOf("test-sender/1");
            assertEquals("request completed", line.path("message").asText());
            assertEquals(24, line.path("operations").asInt());
            assertEquals(12, line.path("callers").asInt());
            JsonNode ids = line.path("callerRequestIds");
            assertEquals(DbProxyHandler.MAX_LOGGED_CALLERS, ids.size(), line::toString);
            assertEquals("caller-0/1", ids.path(0).asText());
            assertEquals("caller-9/1", ids.path(9).asText());
        }
    }

    @Test
    void aVersion1Request_isLoggedWithoutCallerFields() {
        try (DbProxyHandler handler = handler(Map.of())) {
            JsonNode line = lineOf(requestIdOf(HandlerInvoker.invoke(handler, findAll())));

            assertTrue(line.path("callers").isMissingNode() && line.path("callerRequestIds").isMissingNode(),
                    line::toString);
        }
    }

    @Test
    void failuresOnly_logsRejectedRequestsAndFailedOperations_notSucceededOnes() {
        try (DbProxyHandler handler = handler(Map.of(DbProxySettings.PROXY_LOG_REQUESTS, "failures"))) {
            String succeeded = requestIdOf(HandlerInvoker.invoke(handler, findAll()));
            JsonNode forbidden = HandlerInvoker.invoke(handler, HandlerInvoker.request(
                    HandlerInvoker.op("find", "\"filter\": {\"$where\": \"true\"}")));
            JsonNode rejected = HandlerInvoker.invoke(handler, HandlerInvoker.request(HandlerInvoker.op("find",
                    "\"filter\": {}, \"unknownArgument\": 1")));

            assertEquals("FORBIDDEN", HandlerInvoker.error(forbidden, 0).path("code").asText());
            assertEquals("VALIDATION", HandlerInvoker.rejection(rejected).path("code").asText());
            assertFalse(logged().contains(succeeded), this::logged);
            JsonNode failed = lineOf(requestIdOf(forbidden));
            assertEquals("WARN", failed.path("level").asText());
            assertEquals(1, failed.path("failed").asInt());
            JsonNode refused = lineOf(requestIdOf(rejected));
            assertEquals("WARN", refused.path("level").asText());
            assertEquals("request rejected", refused.path("message").asText());
            assertEquals("VALIDATION", refused.path("code").asText());
        }
    }

    @Test
    void anOperationFailingUnexpectedly_logsItsCauseChain_underTheRequestId_withoutThePassword() {
        String password = "Pa55w0rdNeverLogged7";
        String uri = "mongodb://proxyuser:" + password + "@" + mongoDb.address().getHostString() + ":"
                + mongoDb.port() + "/app";
        DbProxySettings settings = DbProxySettings.fromEnv(HandlerInvoker.environment(uri));
        MongoClient client = MongoClients.create(settings.toMongoClientSettings());
        try (DbProxyHandler handler = new DbProxyHandler(settings, client)) {
            // A client closed under the handler throws IllegalStateException: a failure no translation knows.
            client.close();

            JsonNode response = HandlerInvoker.invoke(handler, HandlerInvoker.request(
                    HandlerInvoker.op("countDocuments", "")));

            assertEquals("INTERNAL", HandlerInvoker.error(response, 0).path("code").asText());
            JsonNode line = loggedLines().stream()
                    .filter(logged -> logged.path("message").asText().equals("operation failed with INTERNAL"))
                    .findFirst().orElseThrow(() -> new AssertionError("no INTERNAL line in " + logged()));
            assertEquals(requestIdOf(response), line.path("requestId").asText());
            assertEquals("ERROR", line.path("level").asText());
            assertEquals(0, line.path("operation").asInt());
            assertEquals("countDocuments", line.path("action").asText());
            assertEquals("IllegalStateException", line.path("errorType").asText());
            JsonNode cause = line.path("causes").path(0);
            assertEquals("java.lang.IllegalStateException", cause.path("type").asText());
            assertFalse(cause.path("message").asText().isEmpty(), line::toString);
            assertTrue(cause.path("thrownAt").asText().contains("com.mongodb"), line::toString);
            assertFalse(logged().contains(password), this::logged);
        }
    }

    private static DbProxyHandler handler(Map<String, String> extraVariables) {
        Map<String, String> env = HandlerInvoker.environment(mongoDb.connectionString());
        env.putAll(extraVariables);
        return new DbProxyHandler(DbProxySettings.fromEnv(env));
    }

    private static String findAll() {
        return HandlerInvoker.request(HandlerInvoker.op("find", "\"filter\": {}"));
    }

    private static String requestIdOf(JsonNode response) {
        String requestId = response.path("requestId").asText();
        assertTrue(requestId.startsWith("test-"), () -> "no request id in " + response);
        return requestId;
    }

    private String logged() {
        return capturedErr.toString(StandardCharsets.UTF_8);
    }

    /** Every line the proxy logged; each must be one JSON object. */
    private List<JsonNode> loggedLines() {
        return logged().lines().filter(line -> line.startsWith("{")).map(line -> {
            try {
                return JSON.readTree(line);
            } catch (JsonProcessingException notJson) {
                throw new AssertionError("not one JSON object: " + line, notJson);
            }
        }).toList();
    }

    /** The one request line logged under {@code requestId}. */
    private JsonNode lineOf(String requestId) {
        List<JsonNode> lines = loggedLines().stream()
                .filter(line -> line.path("requestId").asText().equals(requestId)).toList();
        assertEquals(1, lines.size(), this::logged);
        return lines.getFirst();
    }
}
