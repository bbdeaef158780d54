package dev.dbproxy.lambda.platform;

import java.util.Objects;

/**
 * Runs a function on Lambda Managed Instances: each execution environment runs up to
 * {@code perEnvironmentMaxConcurrency} invocations at once, each on its own thread with the one shared handler
 * object, and is never frozen; environments are started ahead of demand and shut down gracefully when they are no
 * longer needed; an invocation that finds every environment full is refused with 429. Why a lab cares: one
 * connection pool per environment then serves dozens of concurrent requests. The rule this platform applies is in
 * the module README ("Managed instances").
 *
 * @param capacityProvider          the capacity provider's name; the functions that name the same one share its
 *                                  {@code maxVCpuCount}
 * @param maxVCpuCount              the capacity provider's {@code ScalingConfig.MaxVCpuCount}: at most this many vCPUs
 *                                  of environments run at once across its functions (AWS: 2 to 15,000)
 * @param memoryGiBPerVCpu          {@code ExecutionEnvironmentMemoryGiBPerVCpu}: 2, 4 or 8; an environment gets
 *                                  {@code MemorySize / (1024 × this)} vCPUs (at least one)
 * @param perEnvironmentMaxConcurrency {@code PerExecutionEnvironmentMaxConcurrency}, also the Java runtime's thread
 *                                  count; {@link #DEFAULT_MAX_CONCURRENCY} for AWS's default of 32 per vCPU
 * @param minEnvironments           {@code FunctionScalingConfig.MinExecutionEnvironments}; AWS keeps 3 by default,
 *                                  one per Availability Zone, started before the function version is active
 * @param maxEnvironments           {@code FunctionScalingConfig.MaxExecutionEnvironments}, or {@link #UNLIMITED}
 *                                  (then only the capacity provider's vCPUs limit them)
 * @param targetUtilization         the share of the running environments' invocation slots above which another
 *                                  environment starts, 0 (exclusive) to 1; stands in for the capacity provider's
 *                                  CPU target ({@code ScalingConfig.AverageCPUUtilization} / 100)
 */
public record ManagedInstances(
        String capacityProvider,
        int maxVCpuCount,
        double memoryGiBPerVCpu,
        int perEnvironmentMaxConcurrency,
        int minEnvironments,
        int maxEnvironments,
        double targetUtilization) implements FunctionCompute {

    /** {@link #perEnvironmentMaxConcurrency()} meaning AWS's default for Java: 32 concurrent invocations per vCPU. */
    public static final int DEFAULT_MAX_CONCURRENCY = 0;
    /** {@link #maxEnvironments()} meaning no limit of the function's own. */
    public static final int UNLIMITED = -1;
    /** Java's default concurrency per vCPU on managed instances. */
    public static final int JAVA_CONCURRENCY_PER_VCPU = 32;
    /** The smallest memory size of a managed-instances function: one vCPU at 2 GiB per vCPU. */
    public static final int MIN_MEMORY_MB = 2048;

    /** Validates the values against Lambda's bounds. */
    public ManagedInstances {
        Objects.requireNonNull(capacityProvider, "capacityProvider");
        if (capacityProvider.isBlank()) {
            throw new IllegalArgumentException("the capacity provider needs a name");
        }
        if (maxVCpuCount < 2 || maxVCpuCount > 15_000) {
            throw new IllegalArgumentException("MaxVCpuCount of capacity provider " + capacityProvider
                    + " must be 2 to 15000, was " + maxVCpuCount);
        }
        if (memoryGiBPerVCpu != 2 && memoryGiBPerVCpu != 4 && memoryGiBPerVCpu != 8) {
            throw new IllegalArgumentException("ExecutionEnvironmentMemoryGiBPerVCpu must be 2, 4 or 8, was " + memoryGiBPerVCpu);
        }
        if (perEnvironmentMaxConcurrency < 0) {
            throw new IllegalArgumentException("PerExecutionEnvironmentMaxConcurrency must be at least 1, or"
                    + " DEFAULT_MAX_CONCURRENCY, was " + perEnvironmentMaxConcurrency);
        }
        if (minEnvironments < 0 || minEnvironments > 15_000) {
            throw new IllegalArgumentException("MinExecutionEnvironments must be 0 to 15000, was " + minEnvironments);
        }
        if (maxEnvironments != UNLIMITED && (maxEnvironments < Math.max(1, minEnvironments) || maxEnvironments > 15_000)) {
            throw new IllegalArgumentException("MaxExecutionEnvironments must be at least MinExecutionEnvironments"
                    + " (and 1) and at most 15000, was " + maxEnvironments);
        }
        if (!(targetUtilization > 0 && targetUtilization <= 1)) {
            throw new IllegalArgumentException("target utilization must be above 0 and at most 1, was " + targetUtilization);
        }
    }

    /**
     * A builder with AWS's defaults: 2 GiB per vCPU, 32 invocations per vCPU, 3 environments at least, no maximum of
     * the function's own, and a scale-out target of half the slots.
     *
     * @param capacityProvider the capacity provider's name
     * @param maxVCpuCount     its {@code MaxVCpuCount}
     */
    public static Builder builder(String capacityProvider, int maxVCpuCount) {
        return new Builder(capacityProvider, maxVCpuCount);
    }

    /** A builder holding these values. */
    public Builder toBuilder() {
        return new Builder(capacityProvider, maxVCpuCount).memoryGiBPerVCpu(memoryGiBPerVCpu)
                .perEnvironmentMaxConcurrency(perEnvironmentMaxConcurrency).minEnvironments(minEnvironments)
                .maxEnvironments(maxEnvironments).targetUtilization(targetUtilization);
    }

    /** The vCPUs of one environment of a function of that memory size. */
    public int vCpusPerEnvironment(int memoryMb) {
        return Math.max(1, (int) Math.floor(memoryMb / (1024 * memoryGiBPerVCpu)));
    }

    /** How many invocations one environment of a function of that memory size runs at once. */
    public int maxConcurrency(int memoryMb) {
        return perEnvironmentMaxConcurrency == DEFAULT_MAX_CONCURRENCY
                ? JAVA_CONCURRENCY_PER_VCPU * vCpusPerEnvironment(memoryMb) : perEnvironmentMaxConcurrency;
    }

    /** Builds {@link ManagedInstances}; not thread-safe. */
    public static final class Builder {
        private final String capacityProvider;
        private final int maxVCpuCount;
        private double memoryGiBPerVCpu = 2;
        private int perEnvironmentMaxConcurrency = DEFAULT_MAX_CONCURRENCY;
        private int minEnvironments = 3;
        private int maxEnvironments = UNLIMITED;
        private double targetUtilization = 0.5;

        private Builder(String capacityProvider, int maxVCpuCount) {
            this.capacityProvider = capacityProvider;
            this.maxVCpuCount = maxVCpuCount;
        }

        /** {@code ExecutionEnvironmentMemoryGiBPerVCpu}, 2 by default. */
        public Builder memoryGiBPerVCpu(double memoryGiBPerVCpu) {
            this.memoryGiBPerVCpu = memoryGiBPerVCpu;
            return this;
        }

        /** {@code PerExecutionEnvironmentMaxConcurrency}; 32 per vCPU by default. */
        public Builder perEnvironmentMaxConcurrency(int perEnvironmentMaxConcurrency) {
            this.perEnvironmentMaxConcurrency = perEnvironmentMaxConcurrency;
            return this;
        }

        /** {@code MinExecutionEnvironments}, 3 by default; fewer make a small machine's test or lab run cheaper. */
        public Builder minEnvironments(int minEnvironments) {
            this.minEnvironments = minEnvironments;
            return this;
        }

        /** {@code MaxExecutionEnvironments}; {@link #UNLIMITED} by default. */
        public Builder maxEnvironments(int maxEnvironments) {
            this.maxEnvironments = maxEnvironments;
            return this;
        }

        /** The share of busy slots above which another environment starts, 0.5 by default. */
        public Builder targetUtilization(double targetUtilization) {
            this.targetUtilization = targetUtilization;
            return this;
        }

        /** Builds the settings. @throws IllegalArgumentException when a value is out of Lambda's bounds */
        public ManagedInstances build() {
            return new ManagedInstances(capacityProvider, maxVCpuCount, memoryGiBPerVCpu, perEnvironmentMaxConcurrency,
                    minEnvironments, maxEnvironments, targetUtilization);
        }
    }
}
