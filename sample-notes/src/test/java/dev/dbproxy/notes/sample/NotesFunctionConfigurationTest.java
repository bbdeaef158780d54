package dev.dbproxy.notes.sample;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dbproxy.notes.core.error.ConfigurationException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NotesFunctionConfigurationTest {

    @Test
    void theRepositoryIsWarmedUpDuringInit_unlessNotesWarmUpIsFalse() {
        assertTrue(NotesFunctionConfiguration.warmUp(Map.of()));
        assertTrue(NotesFunctionConfiguration.warmUp(Map.of("NOTES_WARM_UP", "true")));
        assertFalse(NotesFunctionConfiguration.warmUp(Map.of("NOTES_WARM_UP", " false ")));
        assertFalse(NotesFunctionConfiguration.warmUp(Map.of("NOTES_WARM_UP", "FALSE")));
    }

    @Test
    void anyOtherValueOfNotesWarmUp_failsNamingTheVariable() {
        ConfigurationException error = assertThrows(ConfigurationException.class,
                () -> NotesFunctionConfiguration.warmUp(Map.of("NOTES_WARM_UP", "yes")));

        assertTrue(error.getMessage().contains("NOTES_WARM_UP"), error.getMessage());
    }
}
