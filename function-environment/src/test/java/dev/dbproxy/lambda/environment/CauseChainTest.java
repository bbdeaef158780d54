package dev.dbproxy.lambda.environment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class CauseChainTest {

    @Test
    void of_listsTheErrorThenEachCause_withTypeRedactedMessageAndThrowingFrame() {
        IOException socket = new IOException("connection refused by db.internal:27017");
        IllegalStateException login = new IllegalStateException(
                "login failed for mongodb://app:S3cr3t@db.internal:27017/notes", socket);
        UncheckedIOException error = new UncheckedIOException("repository call failed", new IOException(login));

        List<CauseChain.Cause> causes = CauseChain.of(error).causes();

        assertEquals(List.of("java.io.UncheckedIOException", "java.io.IOException",
                "java.lang.IllegalStateException", "java.io.IOException"),
                causes.stream().map(CauseChain.Cause::type).toList());
        assertEquals("repository call failed", causes.get(0).message());
        assertEquals("login failed for mongodb://<hidden>", causes.get(2).message());
        assertEquals("connection refused by db.internal:27017", causes.get(3).message());
        assertTrue(causes.get(0).thrownAt().contains("CauseChainTest.of_listsTheErrorThenEachCause"),
                causes.get(0).thrownAt());
        assertFalse(causes.toString().contains("S3cr3t"), causes::toString);
    }

    @Test
    void of_givesAnEmptyMessageAndFrame_whenTheErrorHasNone() {
        IllegalStateException bare = new IllegalStateException();
        bare.setStackTrace(new StackTraceElement[0]);

        assertEquals(List.of(new CauseChain.Cause("java.lang.IllegalStateException", "", "")),
                CauseChain.of(bare).causes());
    }

    @Test
    void of_cutsLongMessagesAfterRedactingThem() {
        String longMessage = "x".repeat(CauseChain.MAX_MESSAGE_CHARS - 10) + " password=hunter2hunter2 and more";

        String message = CauseChain.of(new IllegalStateException(longMessage)).causes().getFirst().message();

        assertEquals(CauseChain.MAX_MESSAGE_CHARS + 1, message.length(), message);
        assertTrue(message.endsWith("…"), message);
        assertFalse(message.contains("hunter"), message);
    }

    @Test
    void of_stopsAtACycle_andAfterMaxCauses() {
        RuntimeException first = new RuntimeException("first");
        RuntimeException second = new RuntimeException("second", first);
        first.initCause(second);
        Throwable deep = new RuntimeException("bottom");
        for (int i = 0; i < 20; i++) {
            deep = new RuntimeException("level " + i, deep);
        }

        assertEquals(2, CauseChain.of(first).causes().size());
        assertEquals(CauseChain.MAX_CAUSES, CauseChain.of(deep).causes().size());
    }
}
