package dev.dbproxy.lambda.platform;

/**
 * What a managed-instances function's environments used, for the lab's connection and cost figures: on managed
 * instances AWS bills the capacity provider's EC2 instances (plus a management fee and the requests), not
 * invocation durations, so what counts is how many vCPUs ran for how long. Zero for a function on Lambda's default
 * compute. An instance count follows from {@code vCpuSeconds} divided by the instance type's vCPUs (perfect
 * packing; AWS also keeps at least three instances, one per Availability Zone).
 *
 * @param environmentsStarted                  environments started (none is a cold start of an invocation)
 * @param peakConcurrentInvocationsPerEnvironment the most invocations one environment ran at once
 * @param environmentSeconds                   the sum of every environment's lifetime, initialization included
 * @param vCpuSeconds                          the same, weighted by each environment's vCPUs
 */
public record ManagedInstancesUsage(
        long environmentsStarted,
        int peakConcurrentInvocationsPerEnvironment,
        double environmentSeconds,
        double vCpuSeconds) {

    /** The usage of a function on Lambda's default compute. */
    public static final ManagedInstancesUsage NONE = new ManagedInstancesUsage(0, 0, 0, 0);
}
