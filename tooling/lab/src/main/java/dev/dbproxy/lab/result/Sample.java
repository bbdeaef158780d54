package dev.dbproxy.lab.result;

import java.util.Map;

/**
 * The state of a run at one instant.
 *
 * @param seconds            time since the load started
 * @param users              virtual users active
 * @param connections        {@code serverStatus.connections.current}: every client's, the lab's gauge included
 * @param ownConnections     the run's own: those of its functions' appNames, leftovers of earlier runs subtracted
 *                           (see {@code RunConnections}); the total minus the gauge's when the server does not
 *                           attribute connections
 * @param connectionsByApp   open connections per client {@code appName} as {@code $currentOp} lists them, every
 *                           client's (the gauge's and other runs' too); empty when the server does not attribute them
 * @param connectionsCreated {@code serverStatus.connections.totalCreated} since before the run's functions were deployed
 * @param requestsPerSecond  completed requests per second over the last interval
 * @param p50Millis          median latency of the requests completed in the last interval ({@code NaN} if none)
 * @param p99Millis          99th percentile of the same ({@code NaN} if none)
 * @param environments       execution environments per function name (empty with {@code --base-url})
 */
public record Sample(
        double seconds,
        int users,
        long connections,
        long ownConnections,
        Map<String, Long> connectionsByApp,
        long connectionsCreated,
        double requestsPerSecond,
        double p50Millis,
        double p99Millis,
        Map<String, EnvironmentCounts> environments) {

    public Sample {
        connectionsByApp = Map.copyOf(connectionsByApp);
        environments = Map.copyOf(environments);
    }

    /**
     * Execution environments of one function.
     *
     * @param live   environments that exist (idle or busy)
     * @param busy   environments running an invocation
     * @param zombie environments reclaimed without closing their connections, whose sockets are still open
     */
    public record EnvironmentCounts(int live, int busy, int zombie) {
    }
}
