package dev.dbproxy.examples.tasks.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The switch without adapters on the class path (tasks-core alone): both failures name the variable. */
class TaskRepositoriesTest {

    @Test
    void fromEnv_withoutTheVariable_namesItAndTheProvidersFound() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> TaskRepositories.fromEnv(Map.of()));
        assertEquals("TASKS_REPOSITORY is not set; providers found: []", error.getMessage());
    }

    @Test
    void fromEnv_withAnUnknownName_namesTheValueAndTheProvidersFound() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> TaskRepositories.fromEnv(Map.of("TASKS_REPOSITORY", " postgres ")));
        assertEquals("TASKS_REPOSITORY=postgres names no provider; providers found: []", error.getMessage());
    }
}
