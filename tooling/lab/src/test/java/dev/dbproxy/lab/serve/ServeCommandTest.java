package dev.dbproxy.lab.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.dbproxy.lambda.platform.EnvironmentKind;
import org.junit.jupiter.api.Test;

/** The command line of {@code serve}. */
class ServeCommandTest {

    @Test
    void environmentsOption_choosesProcessEnvironmentsAndLeavesThePortAlone() {
        String[] args = {"--environments", "process", "--port", "0"};

        assertEquals(EnvironmentKind.PROCESS, ServeCommand.parse(args).environments());
        assertEquals(0, ServeCommand.parse(args).port());
        assertEquals(EnvironmentKind.IN_PROCESS, ServeCommand.parse(new String[] {"--port", "3000"}).environments());
    }

    @Test
    void unknownEnvironmentKind_isRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> ServeCommand.parse(new String[] {"--environments", "vm"}));
    }
}
