package dev.dbproxy.lambda.platform;

/**
 * What happened to one function since it was first deployed (or since {@link LocalLambdaPlatform#resetMetrics()}),
 * across redeployments.
 *
 * @param functionName   the function
 * @param invocations    invocations that got an environment (throttled ones are not counted, as on Lambda)
 * @param coldStarts     invocations that waited for a new environment (none on managed instances)
 * @param errors         invocations that ended in a function error, timeouts included
 * @param timeouts       invocations that ran past the function's timeout
 * @param throttles      invocations refused because of the concurrency limits
 * @param environments   environments now
 * @param peak           the highest value each count reached
 * @param duration       invocation durations, handler time only
 * @param initDuration   cold-start (init) durations
 * @param managedInstances environments started, peak concurrency per environment and vCPU-seconds on managed
 *                       instances; {@link ManagedInstancesUsage#NONE} on Lambda's default compute
 */
public record FunctionMetrics(
        String functionName,
        long invocations,
        long coldStarts,
        long errors,
        long timeouts,
        long throttles,
        EnvironmentCounts environments,
        EnvironmentCounts peak,
        LatencyPercentiles duration,
        LatencyPercentiles initDuration,
        ManagedInstancesUsage managedInstances) {
}
