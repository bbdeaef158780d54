package dev.dbproxy.examples.tasks.core;

import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** Picks the {@link TaskRepository} adapter named by {@value #SELECTOR_VARIABLE}, among those on the class path. */
public final class TaskRepositories {

    /** The environment variable naming the adapter: {@code direct} or {@code lambda-proxy}. */
    public static final String SELECTOR_VARIABLE = "TASKS_REPOSITORY";

    private TaskRepositories() {
    }

    /**
     * Builds the repository of the provider {@code TASKS_REPOSITORY} names, found by the class loader of this class.
     *
     * @throws IllegalArgumentException when the variable is missing or names no provider (the message lists the
     *                                  providers found), or when the provider finds its own variables invalid
     */
    public static TaskRepository fromEnv(Map<String, String> environment) {
        return fromEnv(environment, TaskRepositories.class.getClassLoader());
    }

    /** As {@link #fromEnv(Map)}, with the providers {@code classLoader} finds. */
    public static TaskRepository fromEnv(Map<String, String> environment, ClassLoader classLoader) {
        Map<String, TaskRepositoryProvider> providers = new TreeMap<>();
        ServiceLoader.load(TaskRepositoryProvider.class, classLoader)
                .forEach(provider -> providers.put(provider.name(), provider));
        String selected = environment.getOrDefault(SELECTOR_VARIABLE, "").strip();
        TaskRepositoryProvider provider = providers.get(selected);
        if (provider == null) {
            throw new IllegalArgumentException(SELECTOR_VARIABLE + (selected.isEmpty() ? " is not set"
                    : "=" + selected + " names no provider") + "; providers found: " + providers.keySet());
        }
        return provider.create(environment);
    }
}
