package dev.dbproxy.lambda.platform.environment;

import java.util.concurrent.CompletableFuture;

/**
 * Creates execution environments inside this JVM: each gets its own child-first class loader over the function's
 * class path and its own thread. See the package documentation for what such environments cannot model.
 */
public final class InProcessEnvironmentFactory implements ExecutionEnvironmentFactory {

    private final ClassLoader sharedClasses;

    private InProcessEnvironmentFactory(ClassLoader sharedClasses) {
        this.sharedClasses = sharedClasses;
    }

    /** A factory sharing the Lambda runtime types and SLF4J from the class loader that loaded the platform. */
    public static InProcessEnvironmentFactory create() {
        return new InProcessEnvironmentFactory(InProcessEnvironmentFactory.class.getClassLoader());
    }

    @Override
    public CompletableFuture<ExecutionEnvironment> start(EnvironmentSpec spec) {
        return InProcessEnvironment.start(spec, sharedClasses);
    }
}
