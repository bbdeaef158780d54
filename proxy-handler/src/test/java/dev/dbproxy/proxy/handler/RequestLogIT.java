package dev.dbproxy.proxy.handler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dbproxy.localmongodb.EmbeddedMongoDb;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code PROXY_LOG_REQUESTS} decides which requests get a log line on stderr (where SLF4J writes, and where Lambda
 * collects a function's output): every request by default, or only the rejected ones and those with a failed
 * operation.
 */
class RequestLogIT {

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

            assertTrue(logged().contains("requestId=" + succeeded + " operations=1 failed=0"), this::logged);
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
            assertTrue(logged().contains("requestId=" + requestIdOf(forbidden) + " operations=1 failed=1"),
                    this::logged);
            assertTrue(logged().contains("requestId=" + requestIdOf(rejected) + " rejected code=VALIDATION"),
                    this::logged);
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
}
