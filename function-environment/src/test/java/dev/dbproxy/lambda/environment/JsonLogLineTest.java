package dev.dbproxy.lambda.environment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class JsonLogLineTest {

    private static final Instant AT = Instant.parse("2026-12-07T10:15:30.004567Z");

    @Test
    void aLine_startsWithLambdasFields_thenTheFieldsInOrder() {
        String line = new JsonLogLine(AT, JsonLogLine.Level.INFO, "request completed")
                .string("requestId", "r-1")
                .number("status", 200)
                .number("durationMs", 1.5)
                .bool("coldStart", true)
                .string("strategy", null)
                .toString();

        assertEquals("{\"timestamp\":\"2026-12-07T10:15:30.004Z\",\"level\":\"INFO\",\"message\":\"request completed\","
                + "\"requestId\":\"r-1\",\"status\":200,\"durationMs\":1.5,\"coldStart\":true,\"strategy\":null}", line);
    }

    @Test
    void strings_areEscaped_soThatALineIsOneLineOfValidJson() {
        String line = new JsonLogLine(AT, JsonLogLine.Level.WARN, "say \"hi\"\\\n\tnow\u0001\u2028").toString();

        assertEquals("{\"timestamp\":\"2026-12-07T10:15:30.004Z\",\"level\":\"WARN\","
                + "\"message\":\"say \\\"hi\\\"\\\\\\n\\tnow\\u0001\\u2028\"}", line);
        assertFalse(line.contains("\n"));
    }

    @Test
    void aNumberThatIsNotFinite_isNull() {
        assertTrue(new JsonLogLine(AT, JsonLogLine.Level.INFO, "m").number("ms", Double.NaN).toString()
                .endsWith(",\"ms\":null}"));
    }

    @Test
    void causes_addTheErrorTypeAndTheRedactedChain() {
        IllegalStateException error = new IllegalStateException("call failed",
                new RuntimeException("no route to mongodb://app:S3cr3t@db.internal/notes"));

        String line = new JsonLogLine(AT, JsonLogLine.Level.ERROR, "failed").causes(error).toString();

        assertTrue(line.contains(",\"errorType\":\"IllegalStateException\",\"causes\":[{\"type\":"
                + "\"java.lang.IllegalStateException\",\"message\":\"call failed\",\"thrownAt\":\""), line);
        assertTrue(line.contains("},{\"type\":\"java.lang.RuntimeException\",\"message\":\"no route to "
                + "mongodb://<hidden>\",\"thrownAt\":\""), line);
        assertTrue(line.endsWith("\"}]}"), line);
        assertFalse(line.contains("S3cr3t"), line);
        assertTrue(JsonLogLine.of(JsonLogLine.Level.ERROR, "x").toString().startsWith("{\"timestamp\":\"20"));
    }
}
