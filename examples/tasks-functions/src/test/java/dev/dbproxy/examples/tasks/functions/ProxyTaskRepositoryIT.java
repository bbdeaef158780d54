package dev.dbproxy.examples.tasks.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.dbproxy.examples.tasks.core.TaskId;
import dev.dbproxy.examples.tasks.core.TaskRepositories;
import dev.dbproxy.examples.tasks.core.TaskRepository;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The contract through {@code TASKS_REPOSITORY=lambda-proxy}: the real AWS SDK over HTTP to the local Lambda
 * platform, the real DB proxy handler, the embedded MongoDB.
 */
class ProxyTaskRepositoryIT extends TaskRepositoryContract {

    private static LocalTasksStack stack;

    @BeforeAll
    static void startStack() {
        stack = new LocalTasksStack();
    }

    @AfterAll
    static void stopStack() {
        stack.close();
    }

    @Override
    protected TaskRepository newEmptyRepository() {
        stack.clear();
        return TaskRepositories.fromEnv(stack.environment("lambda-proxy"));
    }

    @Test
    void everyCall_goesThroughTheProxyFunction() {
        long before = stack.proxyInvocations();
        try (TaskRepository tasks = newEmptyRepository()) {
            tasks.findById(TaskId.generate()).block(Duration.ofSeconds(20));
        }
        assertEquals(before + 1, stack.proxyInvocations());
    }
}
