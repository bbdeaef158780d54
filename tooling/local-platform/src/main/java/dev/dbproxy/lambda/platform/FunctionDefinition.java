package dev.dbproxy.lambda.platform;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The code and configuration of one function, as a deployment would give them to Lambda.
 *
 * @param name                the function's name, as clients invoke it
 * @param handler             {@code pkg.Class} (a {@code RequestHandler} or {@code RequestStreamHandler}) or
 *                            {@code pkg.Class::method}, exactly as in a SAM template
 * @param runtime             the Lambda runtime identifier, such as {@code java21}; it sets {@code AWS_EXECUTION_ENV}
 * @param memoryMb            the memory size the function reports through its context (not enforced in-process)
 * @param timeout             how long one invocation may run before it fails and its environment is discarded
 * @param environment         the function's own environment variables; the platform adds the standard Lambda ones
 * @param reservedConcurrency at most this many invocations run at once, and they do not count against the account's
 *                            unreserved pool; {@link #UNRESERVED} for none
 * @param reclaimMode         what happens to an environment the platform stops using
 * @param classPath           where the function's classes are loaded from, afresh in every environment; empty means
 *                            the entries of this JVM's {@code java.class.path}
 * @param compute             Lambda's default compute, or {@link ManagedInstances} (a template's
 *                            {@code CapacityProviderConfig}); fixed for the life of the function, as on AWS
 * @param snapStart           whether Lambda SnapStart is on (a template's {@code SnapStart: ApplyOn:
 *                            PublishedVersions}): process environments then initialize with
 *                            {@code AWS_LAMBDA_INITIALIZATION_TYPE=snap-start} and are restored before their first
 *                            invocation (see the module's README); no effect on in-process environments and on
 *                            managed instances
 */
public record FunctionDefinition(
        String name,
        String handler,
        String runtime,
        int memoryMb,
        Duration timeout,
        Map<String, String> environment,
        int reservedConcurrency,
        ReclaimMode reclaimMode,
        List<Path> classPath,
        FunctionCompute compute,
        boolean snapStart) {

    /** The {@link #reservedConcurrency()} of a function that draws from the account's unreserved pool. */
    public static final int UNRESERVED = -1;

    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9_-]{1,64}");
    private static final Pattern HANDLER = Pattern.compile("[\\p{javaJavaIdentifierPart}.$]+(::[\\p{javaJavaIdentifierPart}$]+)?");

    /** Validates the definition the way Lambda validates a function's configuration. */
    public FunctionDefinition {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(handler, "handler");
        Objects.requireNonNull(runtime, "runtime");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(reclaimMode, "reclaimMode");
        Objects.requireNonNull(compute, "compute");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("function name '" + name + "' must be 1 to 64 letters, digits, '-' or '_'");
        }
        if (!HANDLER.matcher(handler).matches()) {
            throw new IllegalArgumentException("handler of function " + name + " must be pkg.Class or pkg.Class::method, was '" + handler + "'");
        }
        if (!runtime.startsWith("java")) {
            throw new IllegalArgumentException("runtime of function " + name + " is " + runtime + ": only Java runtimes (java21, java17, ...) run here");
        }
        if (memoryMb < 128 || memoryMb > 10_240) {
            throw new IllegalArgumentException("memory of function " + name + " must be 128 to 10240 MB, was " + memoryMb);
        }
        if (timeout.compareTo(Duration.ofMillis(1)) < 0 || timeout.compareTo(Duration.ofSeconds(900)) > 0) {
            throw new IllegalArgumentException("timeout of function " + name + " must be 1 ms to 900 s, was " + timeout);
        }
        if (reservedConcurrency < UNRESERVED) {
            throw new IllegalArgumentException("reserved concurrency of function " + name + " must be >= 0 or UNRESERVED, was " + reservedConcurrency);
        }
        if (compute instanceof ManagedInstances managed) {
            if (memoryMb < ManagedInstances.MIN_MEMORY_MB) {
                throw new IllegalArgumentException("memory of managed-instances function " + name + " must be at least "
                        + ManagedInstances.MIN_MEMORY_MB + " MB (one vCPU at 2 GiB per vCPU), was " + memoryMb);
            }
            if (reservedConcurrency != UNRESERVED) {
                throw new IllegalArgumentException("managed-instances function " + name + " cannot have reserved"
                        + " concurrency: its capacity provider and MaxExecutionEnvironments limit it");
            }
            if (managed.vCpusPerEnvironment(memoryMb) > managed.maxVCpuCount()) {
                throw new IllegalArgumentException("one environment of function " + name + " needs "
                        + managed.vCpusPerEnvironment(memoryMb) + " vCPUs, more than capacity provider "
                        + managed.capacityProvider() + " may run (" + managed.maxVCpuCount() + ")");
            }
        }
        environment = Map.copyOf(Objects.requireNonNull(environment, "environment"));
        classPath = List.copyOf(Objects.requireNonNull(classPath, "classPath"));
    }

    /** A builder with Lambda's defaults: java21, 128 MB, 3 s, unreserved, {@link ReclaimMode#ABANDON}. */
    public static Builder builder(String name, String handler) {
        return new Builder(name, handler);
    }

    /** A builder holding this definition's values, to derive a changed one (for example to redeploy). */
    public Builder toBuilder() {
        return new Builder(name, handler)
                .runtime(runtime)
                .memoryMb(memoryMb)
                .timeout(timeout)
                .environment(environment)
                .reservedConcurrency(reservedConcurrency)
                .reclaimMode(reclaimMode)
                .classPath(classPath)
                .compute(compute)
                .snapStart(snapStart);
    }

    /** Whether the function has reserved concurrency. */
    public boolean hasReservedConcurrency() {
        return reservedConcurrency != UNRESERVED;
    }

    /** Whether the function runs on managed instances (its {@link #compute()} is {@link ManagedInstances}). */
    public boolean runsOnManagedInstances() {
        return compute instanceof ManagedInstances;
    }

    /** How many invocations one environment runs at once: 1 on Lambda's default compute. */
    public int maxConcurrencyPerEnvironment() {
        return compute instanceof ManagedInstances managed ? managed.maxConcurrency(memoryMb) : 1;
    }

    /** The environment variables do not print: they often hold database URIs with credentials. */
    @Override
    public String toString() {
        return "FunctionDefinition[name=" + name + ", handler=" + handler + ", runtime=" + runtime + ", memoryMb=" + memoryMb
                + ", timeout=" + timeout + ", environment=<hidden " + environment.size() + " variables>, reservedConcurrency="
                + reservedConcurrency + ", reclaimMode=" + reclaimMode + ", classPath=" + classPath + ", compute="
                + compute + ", snapStart=" + snapStart + "]";
    }

    /** Builds a {@link FunctionDefinition}; not thread-safe. */
    public static final class Builder {
        private String name;
        private String handler;
        private String runtime = "java21";
        private int memoryMb = 128;
        private Duration timeout = Duration.ofSeconds(3);
        private final Map<String, String> environment = new LinkedHashMap<>();
        private int reservedConcurrency = UNRESERVED;
        private ReclaimMode reclaimMode = ReclaimMode.ABANDON;
        private List<Path> classPath = List.of();
        private FunctionCompute compute = FunctionCompute.LAMBDA;
        private boolean snapStart;

        private Builder(String name, String handler) {
            this.name = name;
            this.handler = handler;
        }

        /** Renames the function. */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /** Changes the handler, {@code pkg.Class} or {@code pkg.Class::method}. */
        public Builder handler(String handler) {
            this.handler = handler;
            return this;
        }

        /** The runtime identifier, {@code java21} by default. */
        public Builder runtime(String runtime) {
            this.runtime = runtime;
            return this;
        }

        /** The memory size in MB the context reports, 128 by default. */
        public Builder memoryMb(int memoryMb) {
            this.memoryMb = memoryMb;
            return this;
        }

        /** The invocation timeout, 3 s by default. */
        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        /** Replaces all the function's environment variables. */
        public Builder environment(Map<String, String> variables) {
            environment.clear();
            environment.putAll(variables);
            return this;
        }

        /** Adds or replaces one environment variable. */
        public Builder environmentVariable(String name, String value) {
            environment.put(name, value);
            return this;
        }

        /** Caps (and guarantees) the function's concurrency; {@link #UNRESERVED} by default. */
        public Builder reservedConcurrency(int reservedConcurrency) {
            this.reservedConcurrency = reservedConcurrency;
            return this;
        }

        /** How environments are reclaimed, {@link ReclaimMode#ABANDON} by default. */
        public Builder reclaimMode(ReclaimMode reclaimMode) {
            this.reclaimMode = reclaimMode;
            return this;
        }

        /** Where the function's classes come from; empty (the default) means this JVM's class path. */
        public Builder classPath(List<Path> classPath) {
            this.classPath = List.copyOf(classPath);
            return this;
        }

        /** Where the environments run: {@link FunctionCompute#LAMBDA} (the default) or {@link ManagedInstances}. */
        public Builder compute(FunctionCompute compute) {
            this.compute = compute;
            return this;
        }

        /** Turns Lambda SnapStart on or off (off by default), as {@code SnapStart: ApplyOn: PublishedVersions} does. */
        public Builder snapStart(boolean snapStart) {
            this.snapStart = snapStart;
            return this;
        }

        /** Builds the definition. @throws IllegalArgumentException when a value is out of Lambda's bounds */
        public FunctionDefinition build() {
            return new FunctionDefinition(name, handler, runtime, memoryMb, timeout, environment, reservedConcurrency,
                    reclaimMode, classPath, compute, snapStart);
        }
    }
}
