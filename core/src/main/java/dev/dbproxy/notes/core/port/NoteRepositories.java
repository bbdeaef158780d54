package dev.dbproxy.notes.core.port;

import dev.dbproxy.notes.core.error.ConfigurationException;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** Picks the {@link NoteRepository} adapter named by the environment variable {@value #SELECTOR_VARIABLE}. */
public final class NoteRepositories {

    /** The environment variable whose value names the adapter, for example {@code direct} or {@code lambda-proxy}. */
    public static final String SELECTOR_VARIABLE = "NOTES_REPOSITORY";

    private NoteRepositories() {
    }

    /**
     * Builds the repository of the provider named by {@code NOTES_REPOSITORY}, searching the thread's context class
     * loader.
     *
     * @throws ConfigurationException when the variable is missing or names no provider; the message lists the
     *                                providers found on the class path
     */
    public static NoteRepository fromEnvironment(Map<String, String> environment) {
        return fromEnvironment(environment, Thread.currentThread().getContextClassLoader());
    }

    /** As {@link #fromEnvironment(Map)}, searching the given class loader. */
    public static NoteRepository fromEnvironment(Map<String, String> environment, ClassLoader classLoader) {
        Map<String, NoteRepositoryProvider> providers = new TreeMap<>();
        ServiceLoader.load(NoteRepositoryProvider.class, classLoader)
                .forEach(provider -> providers.put(provider.name(), provider));
        String selected = environment.get(SELECTOR_VARIABLE);
        if (selected == null || selected.isBlank()) {
            throw new ConfigurationException(SELECTOR_VARIABLE + " is not set; set it to one of the providers found: "
                    + providers.keySet());
        }
        NoteRepositoryProvider provider = providers.get(selected.strip());
        if (provider == null) {
            throw new ConfigurationException(SELECTOR_VARIABLE + "=" + selected.strip()
                    + " names no provider; providers found: " + providers.keySet());
        }
        return provider.create(environment);
    }
}
