package dev.dbproxy.examples.tasks.functions;

import dev.dbproxy.examples.tasks.core.TaskRepositories;
import dev.dbproxy.examples.tasks.core.TaskRepository;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The contract through {@code TASKS_REPOSITORY=direct}: the MongoDB driver against the embedded server. */
class MongoTaskRepositoryIT extends TaskRepositoryContract {

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
        return TaskRepositories.fromEnv(stack.environment("direct"));
    }
}
