package dev.dbproxy.lambda.environment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

class FunctionEnvironmentTest {

    @Test
    void variables_beforeInstall_thenInstalled_thenSecondInstallRefused() {
        assertEquals(System.getenv(), FunctionEnvironment.variables());

        FunctionEnvironment.install(Map.of("NOTES_REPOSITORY", "direct"));

        assertEquals(Map.of("NOTES_REPOSITORY", "direct"), FunctionEnvironment.variables());
        assertThrows(IllegalStateException.class, () -> FunctionEnvironment.install(Map.of()));
    }
}
