package dev.dbproxy.proxy.handler;

import static dev.dbproxy.proxy.handler.HandlerInvoker.invoke;
import static dev.dbproxy.proxy.handler.HandlerInvoker.rejection;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dbproxy.localmongodb.EmbeddedMongoDb;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Whatever arrives, the handler answers with a structured error and never throws. */
class DbProxyHandlerInputIT {

    private static EmbeddedMongoDb mongoDb;
    private static DbProxyHandler handler;

    @BeforeAll
    static void start() {
        mongoDb = EmbeddedMongoDb.start();
        handler = new DbProxyHandler(DbProxySettings.fromEnv(HandlerInvoker.environment(mongoDb.connectionString())));
    }

    @AfterAll
    static void stop() {
        handler.close();
        mongoDb.close();
    }

    static Stream<Arguments> malformedBodies() {
        byte[] garbage = new byte[2_000];
        new Random(42).nextBytes(garbage);
        String envelope = "{\"version\": 1, \"requestId\": \"bad-1\", \"deadlineEpochMillis\": 4102444800000, ";
        return Stream.of(
                Arguments.of("empty body", new byte[0]),
                Arguments.of("not JSON", bytes("find everything please")),
                Arguments.of("JSON null", bytes("null")),
                Arguments.of("a JSON array", bytes("[{\"action\": \"find\"}]")),
                Arguments.of("truncated JSON", bytes(envelope + "\"operations\": [{\"action\": \"fi")),
                Arguments.of("random bytes", garbage),
                Arguments.of("invalid UTF-8", new byte[] {'{', '"', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'}),
                Arguments.of("nesting 100000 deep", bytes("[".repeat(100_000))),
                Arguments.of("a filter nested 5000 deep", bytes(envelope + "\"operations\": [{\"action\": \"find\","
                        + " \"database\": \"app\", \"collection\": \"notes\", \"filter\": "
                        + "{\"a\": ".repeat(5_000) + "1" + "}".repeat(5_000) + "}]}")),
                Arguments.of("a number where a string belongs", bytes(envelope.replace("\"bad-1\"", "7")
                        + "\"operations\": []}")),
                Arguments.of("an object where the operations belong", bytes(envelope + "\"operations\": {}}")),
                Arguments.of("an unknown envelope field", bytes(envelope + "\"operations\": [], \"debug\": true}")),
                Arguments.of("a limit given as text", bytes(envelope + "\"operations\": [{\"action\": \"find\","
                        + " \"database\": \"app\", \"collection\": \"notes\", \"limit\": \"5\"}]}")),
                Arguments.of("an unknown action", bytes(envelope + "\"operations\": [{\"action\": \"dropDatabase\","
                        + " \"database\": \"app\", \"collection\": \"notes\"}]}")),
                Arguments.of("a number too large for any integer", bytes(envelope.replace("4102444800000",
                        "9".repeat(400)) + "\"operations\": []}")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedBodies")
    void malformedInput_getsAValidationError_neverAnException(String what, byte[] body) {
        JsonNode response = invoke(handler, body, TestContext.withRemaining(Duration.ofSeconds(30)));

        JsonNode error = rejection(response);
        assertEquals("VALIDATION", error.path("code").asText(), what);
        assertFalse(error.path("retryable").asBoolean());
        assertFalse(error.path("message").asText().contains("\tat "), "no stack trace");
        assertFalse(error.path("message").asText().contains("com.fasterxml"), "no class names");
    }

    @Test
    void validationError_namesTheOffendingField_andEchoesTheReadableRequestId() {
        JsonNode response = invoke(handler, bytes("""
                {"version": 1, "requestId": "r-42", "deadlineEpochMillis": 4102444800000,
                 "operations": [{"action": "find", "database": "app", "collection": "notes"},
                                {"action": "find", "database": "app", "collection": "notes", "filtr": {}}]}"""),
                TestContext.withRemaining(Duration.ofSeconds(30)));

        assertTrue(rejection(response).path("message").asText().contains("operations[1].filtr"));
        assertEquals("r-42", response.path("requestId").asText(), "the id is echoed when it could be read");
    }

    @Test
    void handlerStaysUsable_afterMalformedInput() {
        invoke(handler, bytes("{{{{"), TestContext.withRemaining(Duration.ofSeconds(30)));

        JsonNode response = invoke(handler, HandlerInvoker.request(HandlerInvoker.op("countDocuments", "")));

        assertEquals(0, HandlerInvoker.result(response, 0).path("count").asLong());
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
