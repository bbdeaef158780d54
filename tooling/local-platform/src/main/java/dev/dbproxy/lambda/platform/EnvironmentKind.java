package dev.dbproxy.lambda.platform;

import dev.dbproxy.lambda.platform.environment.ExecutionEnvironmentFactory;
import dev.dbproxy.lambda.platform.environment.InProcessEnvironmentFactory;
import dev.dbproxy.lambda.platform.process.ProcessEnvironmentFactory;
import java.util.List;
import java.util.Locale;

/**
 * How a platform runs execution environments, as a command line names it: {@code in-process} (class loaders in this
 * JVM: cheap, dozens fit on 2 cores, but nothing is frozen and cold starts are class loading) or {@code process} (a
 * JVM per environment under the real runtime interface client, frozen between invocations, cold starts as on
 * Lambda; a few hundred MB and a second of CPU each).
 */
public enum EnvironmentKind {

    /** {@link InProcessEnvironmentFactory}. */
    IN_PROCESS("in-process"),

    /** {@link ProcessEnvironmentFactory}. */
    PROCESS("process");

    private final String option;

    EnvironmentKind(String option) {
        this.option = option;
    }

    /**
     * The kind a command line names.
     *
     * @throws IllegalArgumentException naming the allowed values, for anything else
     */
    public static EnvironmentKind parse(String value) {
        for (EnvironmentKind kind : values()) {
            if (kind.option.equals(value.strip().toLowerCase(Locale.ROOT))) {
                return kind;
            }
        }
        throw new IllegalArgumentException("--environments must be process or in-process, not " + value);
    }

    /** {@code in-process} or {@code process}. */
    public String option() {
        return option;
    }

    /**
     * A new factory of this kind; close it (when it is {@link AutoCloseable}) after the platform that uses it.
     *
     * @param sharedLibraries for in-process environments, the library prefixes to share (see
     *                        {@link InProcessEnvironmentFactory#sharingLibraries(List)}); ignored by processes
     */
    public ExecutionEnvironmentFactory newFactory(List<String> sharedLibraries) {
        return this == PROCESS ? ProcessEnvironmentFactory.create()
                : InProcessEnvironmentFactory.sharingLibraries(sharedLibraries);
    }
}
