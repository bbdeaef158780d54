package dev.dbproxy.notes.sample;

import dev.dbproxy.lambda.environment.FunctionEnvironment;
import dev.dbproxy.lambda.environment.GracefulShutdownExtension;
import dev.dbproxy.lambda.environment.SnapStartHooks;
import dev.dbproxy.notes.core.domain.NoteId;
import dev.dbproxy.notes.core.error.ConfigurationException;
import dev.dbproxy.notes.core.port.NoteRepositories;
import dev.dbproxy.notes.core.port.NoteRepository;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import reactor.core.publisher.Mono;

/**
 * The composition root of the business functions: builds the {@link NoteRepository} named by
 * {@code NOTES_REPOSITORY} from the function's environment, once per execution environment, and warms it up
 * ({@link NoteRepository#warmUp()}) during the init phase unless {@code NOTES_WARM_UP} is {@code false}. No handler
 * names an adapter; the provider found on the class path does the rest. With {@code LAMBDA_GRACEFUL_SHUTDOWN=true} it
 * registers the {@link GracefulShutdownExtension}, so that Lambda sends SIGTERM and a shutdown hook closes the
 * repository (its MongoDB client or its Lambda client). Under SnapStart the warm-up runs before the snapshot (so
 * restored environments find the request path loaded), the repository's client is closed before it, and every restored
 * environment reseeds the {@link NoteId} generator.
 *
 * @param repository where notes are stored
 * @param strategy   the value of {@code NOTES_REPOSITORY}, reported in every log line
 */
public record NotesFunctionConfiguration(NoteRepository repository, String strategy) {

    /** Whether the repository is warmed up during init: {@code true} (the default) or {@code false}. */
    public static final String NOTES_WARM_UP = "NOTES_WARM_UP";
    /** The longest the init phase waits for the warm-up; what is not done by then is left to the first request. */
    static final Duration WARM_UP_LIMIT = Duration.ofSeconds(3);
    /** The generator is one per class loader: its reseed is registered once, by the first configuration built. */
    private static final AtomicReference<SnapStartHooks.Registration> SNAPSHOT_HOOKS = new AtomicReference<>();

    /** Reads {@code NOTES_REPOSITORY} and the adapter's own variables from the function's environment. */
    public static NotesFunctionConfiguration fromEnvironment() {
        Map<String, String> environment = FunctionEnvironment.variables();
        boolean warmUp = warmUp(environment);
        NoteRepository repository = NoteRepositories.fromEnvironment(environment,
                NotesFunctionConfiguration.class.getClassLoader());
        GracefulShutdownExtension.closeAtShutdown(environment, repository);
        SNAPSHOT_HOOKS.compareAndSet(null, SnapStartHooks.register(environment, "note ids", () -> { },
                NoteId::reseedGenerator));
        if (warmUp) {
            Mono.defer(repository::warmUp).timeout(WARM_UP_LIMIT, Mono.empty()).onErrorResume(error -> Mono.empty())
                    .block();
        }
        return new NotesFunctionConfiguration(repository, environment.get(NoteRepositories.SELECTOR_VARIABLE).strip());
    }

    static boolean warmUp(Map<String, String> environment) {
        String value = environment.getOrDefault(NOTES_WARM_UP, "true").strip().toLowerCase(Locale.ROOT);
        return switch (value) {
            case "true", "" -> true;
            case "false" -> false;
            default -> throw new ConfigurationException(NOTES_WARM_UP + " must be true or false, not " + value);
        };
    }
}
