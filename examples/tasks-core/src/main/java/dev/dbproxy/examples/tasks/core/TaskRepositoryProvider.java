package dev.dbproxy.examples.tasks.core;

import java.util.Map;

/**
 * How an adapter offers a {@link TaskRepository}: found with {@link java.util.ServiceLoader}, so that nothing names an
 * adapter in code. An adapter lists its provider in
 * {@code META-INF/services/dev.dbproxy.examples.tasks.core.TaskRepositoryProvider}.
 */
public interface TaskRepositoryProvider {

    /** The value of {@code TASKS_REPOSITORY} that selects this provider, such as {@code direct}. */
    String name();

    /**
     * Builds the repository from the function's environment; called once per execution environment.
     *
     * @throws IllegalArgumentException naming the variable when one is missing or invalid
     */
    TaskRepository create(Map<String, String> environment);
}
