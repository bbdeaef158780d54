package dev.dbproxy.lambda.platform;

/**
 * What happened to one function since it was first deployed (or since {@link LocalLambdaPlatform#resetMetrics()}),
 * across redeployments.
 *
 * @param functionName   the function
 * @param invocations    invocations that got an environment (throttled ones are not counted, as on Lambda)
 * @param coldStarts     invocations that waited for a new environment (none on managed instances), restores of
 *                       SnapStart environments included
 * @param errors         invocations that ended in a function error, timeouts and failed SnapStart restores
 *                       included
 * @param timeouts       invocations that ran past the function's timeout
 * @param throttles      invocations refused because of the concurrency limits
 * @param environments   environments now
 * @param peak           the highest value each count reached
 * @param duration       invocation durations, handler time only
 * @param initDuration   cold-start (init) durations of environments that initialized on demand; a SnapStart
 *                       environment's init is not one (Lambda runs it when it publishes the version)
 * @param managedInstances environments started, peak concurrency per environment and vCPU-seconds on managed
 *                       instances; {@link ManagedInstancesUsage#NONE} on Lambda's default compute
 * @param restoreDuration restore durations of SnapStart environments (their {@code afterRestore} hooks, from the
 *                       runtime's {@code restore/next} answered to its first {@code invocation/next}), as the REPORT
 *                       line's "Restore Duration"; a real restore's loading of the snapshot is not in them
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
        ManagedInstancesUsage managedInstances,
        LatencyPercentiles restoreDuration) {
}
