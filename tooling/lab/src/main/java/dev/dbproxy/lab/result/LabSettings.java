package dev.dbproxy.lab.result;

import java.util.List;

/**
 * The shared settings of a comparison.
 *
 * @param profile                  {@code default}, {@code seed}, {@code tiny} or {@code custom}
 * @param steps                    the staircase of concurrent virtual users
 * @param businessFunctions        how many reader functions the load spreads over (the seed used two)
 * @param proxyReservedConcurrency reserved concurrency of the proxy function
 * @param redeployAtSeconds        when the business functions are redeployed, from the start of the load
 * @param idleSeconds              length of the idle phase after the load, in which environments are reclaimed
 * @param idleReclaimSeconds       idle time after which an environment is reclaimed
 * @param zombieLifetimeSeconds    how long an abandoned environment's connections stay open (the database's TCP
 *                                 keepalive)
 * @param sampleIntervalMillis     how often connections, environments and latency are sampled
 * @param database                 {@code embedded} or {@code external} (a MongoDB named by MONGODB_URI)
 * @param target                   {@code local-platform}, or the base URL driven with {@code --base-url}
 */
public record LabSettings(
        String profile,
        List<LoadStep> steps,
        int businessFunctions,
        int proxyReservedConcurrency,
        double redeployAtSeconds,
        double idleSeconds,
        double idleReclaimSeconds,
        double zombieLifetimeSeconds,
        long sampleIntervalMillis,
        String database,
        String target) {

    /** The {@code target} of a comparison run on the local Lambda platform. */
    public static final String LOCAL_PLATFORM = "local-platform";

    public LabSettings {
        steps = List.copyOf(steps);
    }

    /** Whether the runs were on the local Lambda platform, whose Lambda figures (invocations, cold starts) the lab has. */
    public boolean onLocalPlatform() {
        return target.equals(LOCAL_PLATFORM);
    }
}
