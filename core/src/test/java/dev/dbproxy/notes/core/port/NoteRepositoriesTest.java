package dev.dbproxy.notes.core.port;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dbproxy.notes.core.error.ConfigurationException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NoteRepositoriesTest {

    @Test
    void fromEnvironment_whenTheSelectorIsMissing_namesTheVariableAndTheProvidersFound() {
        ConfigurationException e = assertThrows(
                ConfigurationException.class, () -> NoteRepositories.fromEnvironment(Map.of()));

        assertTrue(e.getMessage().contains("NOTES_REPOSITORY"), e.getMessage());
        assertTrue(e.getMessage().contains("providers found: []"), e.getMessage());
    }

    @Test
    void fromEnvironment_whenTheSelectorNamesNoProvider_namesTheValue() {
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> NoteRepositories.fromEnvironment(Map.of("NOTES_REPOSITORY", "cassandra")));

        assertTrue(e.getMessage().contains("NOTES_REPOSITORY=cassandra names no provider"), e.getMessage());
    }
}
