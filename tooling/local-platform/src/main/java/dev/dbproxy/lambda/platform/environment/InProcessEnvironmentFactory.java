package dev.dbproxy.lambda.platform.environment;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Creates execution environments inside this JVM: each gets its own child-first class loader over the function's
 * class path and its own thread. See the package documentation for what such environments cannot model.
 */
public final class InProcessEnvironmentFactory implements ExecutionEnvironmentFactory {

    /**
     * The client libraries the notes functions use (Netty, the AWS SDK v2, the MongoDB driver and BSON, Reactive
     * Streams, Reactor, Jackson), for {@link #sharingLibraries(List)}.
     */
    public static final List<String> CLIENT_LIBRARIES = List.of("io.netty.", "software.amazon.awssdk.",
            "software.amazon.eventstream.", "org.reactivestreams.", "reactor.", "com.mongodb.", "org.bson.",
            "com.fasterxml.jackson.");

    private final ClassLoader sharedClasses;
    private final List<String> sharedLibraryPrefixes;

    private InProcessEnvironmentFactory(ClassLoader sharedClasses, List<String> sharedLibraryPrefixes) {
        this.sharedClasses = sharedClasses;
        this.sharedLibraryPrefixes = List.copyOf(sharedLibraryPrefixes);
    }

    /**
     * A factory sharing only the Lambda runtime types and SLF4J from the class loader that loaded the platform: every
     * environment loads (and the JIT compiles) its own copy of every library, as separate sandboxes do.
     */
    public static InProcessEnvironmentFactory create() {
        return sharingLibraries(List.of());
    }

    /**
     * A factory whose environments also share the classes of the given libraries, loaded once from the platform's
     * class loader. Each environment still loads the function's own classes afresh and builds its own objects (its
     * own {@code MongoClient}, SDK client and connections), so what the database sees is unchanged; but a cold start
     * no longer loads and JIT-compiles thousands of library classes again, which on a small machine lets dozens of
     * environments start at once, as they do on AWS where each has its own CPU. The price: cold-start durations are
     * shorter than on AWS, and static state of those libraries is shared.
     *
     * @param packagePrefixes class name prefixes such as {@code "io.netty."}; see {@link #CLIENT_LIBRARIES}
     */
    public static InProcessEnvironmentFactory sharingLibraries(List<String> packagePrefixes) {
        for (String prefix : packagePrefixes) {
            if (!prefix.endsWith(".") || InProcessEnvironment.FUNCTION_ENVIRONMENT.startsWith(prefix)) {
                throw new IllegalArgumentException("a shared library prefix ends with a dot and does not cover the"
                        + " per-environment " + InProcessEnvironment.FUNCTION_ENVIRONMENT + ": " + prefix);
            }
        }
        return new InProcessEnvironmentFactory(InProcessEnvironmentFactory.class.getClassLoader(), packagePrefixes);
    }

    @Override
    public CompletableFuture<ExecutionEnvironment> start(EnvironmentSpec spec) {
        return InProcessEnvironment.start(spec, sharedClasses, sharedLibraryPrefixes);
    }
}
