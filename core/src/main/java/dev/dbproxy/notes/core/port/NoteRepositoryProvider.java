package dev.dbproxy.notes.core.port;

import java.util.Map;

/**
 * Service provider interface through which an adapter offers a {@link NoteRepository}, found with
 * {@link java.util.ServiceLoader} so that {@code core} never names an adapter. An adapter registers its provider in
 * {@code META-INF/services/dev.dbproxy.notes.core.port.NoteRepositoryProvider}.
 */
public interface NoteRepositoryProvider {

    /** The value of {@code NOTES_REPOSITORY} that selects this provider, for example {@code direct}. */
    String name();

    /**
     * Builds the repository from the environment's variables. Called once per execution environment.
     *
     * @throws dev.dbproxy.notes.core.error.ConfigurationException naming the variable when one is missing or invalid
     */
    NoteRepository create(Map<String, String> environment);
}
