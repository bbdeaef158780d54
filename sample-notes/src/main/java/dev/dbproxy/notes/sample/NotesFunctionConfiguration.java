package dev.dbproxy.notes.sample;

import dev.dbproxy.lambda.environment.FunctionEnvironment;
import dev.dbproxy.notes.core.port.NoteRepositories;
import dev.dbproxy.notes.core.port.NoteRepository;
import java.util.Map;

/**
 * The composition root of the business functions: builds the {@link NoteRepository} named by
 * {@code NOTES_REPOSITORY} from the function's environment, once per execution environment. No handler names an
 * adapter; the provider found on the class path does the rest.
 *
 * @param repository where notes are stored
 * @param strategy   the value of {@code NOTES_REPOSITORY}, reported in every log line
 */
public record NotesFunctionConfiguration(NoteRepository repository, String strategy) {

    /** Reads {@code NOTES_REPOSITORY} and the adapter's own variables from the function's environment. */
    public static NotesFunctionConfiguration fromEnvironment() {
        Map<String, String> environment = FunctionEnvironment.variables();
        NoteRepository repository = NoteRepositories.fromEnvironment(environment, NotesFunctionConfiguration.class.getClassLoader());
        return new NotesFunctionConfiguration(repository, environment.get(NoteRepositories.SELECTOR_VARIABLE).strip());
    }
}
