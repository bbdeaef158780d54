package dev.dbproxy.lambda.environment;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * When the graceful-shutdown extension turns on: only with {@code LAMBDA_GRACEFUL_SHUTDOWN=true}, and only where a
 * Runtime API exists (its registration against a real one is tested by the local platform's process environments).
 */
class GracefulShutdownExtensionTest {

    @Test
    void enabled_onlyForTrue_andAnythingButTrueOrFalseIsRejectedNamingTheVariable() {
        assertTrue(GracefulShutdownExtension.enabled(Map.of(GracefulShutdownExtension.VARIABLE, " TRUE ")));
        assertFalse(GracefulShutdownExtension.enabled(Map.of(GracefulShutdownExtension.VARIABLE, "false")));
        assertFalse(GracefulShutdownExtension.enabled(Map.of()));
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> GracefulShutdownExtension.enabled(Map.of(GracefulShutdownExtension.VARIABLE, "yes")));
        assertTrue(error.getMessage().contains(GracefulShutdownExtension.VARIABLE), error.getMessage());
    }

    @Test
    void closeAtShutdown_withoutARuntimeApi_doesNothing() throws Exception {
        AtomicBoolean closed = new AtomicBoolean();

        boolean registered = GracefulShutdownExtension.closeAtShutdown(
                Map.of(GracefulShutdownExtension.VARIABLE, "true"), () -> closed.set(true));

        assertFalse(registered, "in-process environments and tests have no Runtime API: the platform decides");
        assertFalse(closed.get());
    }
}
