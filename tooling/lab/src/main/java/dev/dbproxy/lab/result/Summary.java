package dev.dbproxy.lab.result;

import java.util.Map;

/**
 * The figures of one run.
 *
 * @param requests             HTTP requests sent by the virtual users
 * @param errors               failed requests by kind
 * @param latency              client-side latency of all requests
 * @param throughputPerSecond  requests per second over the load phase
 * @param peakConnections      the run's own peak: highest sum, over one sample, of its functions' connections (the
 *                             lab's gauge and other clients excluded, see {@link Sample#ownConnections()})
 * @param peakConnectionsByFunction each of the run's functions' highest connections (each at its own peak), sorted;
 *                             functions that never connected are absent
 * @param peakServerConnections highest {@code serverStatus.connections.current} seen: every client's
 * @param finalConnections     the run's own connections still open at the end of the idle phase
 * @param connectionsCreated   increase of {@code serverStatus.connections.totalCreated} from before deployment (every
 *                             client's: MongoDB counts creations per server only)
 * @param leftovers            connections already open when the run started and what was done about them
 * @param coldStarts           execution environments created (business and proxy functions)
 * @param businessInit         init phases (cold starts) of the business functions
 * @param proxyInit            init phases of the proxy function (none for {@code direct})
 * @param businessInvocations  invocations of the business functions
 * @param proxyInvocations     invocations of the proxy function (0 for {@code direct})
 * @param proxyThrottles       proxy invocations refused with 429 by its reserved concurrency
 * @param adapterRetries       proxy invocations the adapter retried after a throttle
 * @param peakEnvironments     highest number of live environments, all functions together
 * @param peakEnvironmentMemoryMb highest sum of the environments' resident memory (live and zombies) sampled, MiB;
 *                             0 unless each environment is a process ({@code --environments process})
 * @param environmentCpuSeconds CPU time of all the run's environments, user and system; 0 unless processes
 * @param managedInstances     what the run's functions on managed instances used; {@link ManagedInstances#NONE} when
 *                             none ran there
 * @param cost                 the estimated AWS bill
 */
public record Summary(
        long requests,
        Errors errors,
        Latency latency,
        double throughputPerSecond,
        long peakConnections,
        Map<String, Long> peakConnectionsByFunction,
        long peakServerConnections,
        long finalConnections,
        long connectionsCreated,
        Leftovers leftovers,
        long coldStarts,
        InitDurations businessInit,
        InitDurations proxyInit,
        long businessInvocations,
        long proxyInvocations,
        long proxyThrottles,
        long adapterRetries,
        long peakEnvironments,
        double peakEnvironmentMemoryMb,
        double environmentCpuSeconds,
        ManagedInstances managedInstances,
        Cost cost) {

    public Summary {
        peakConnectionsByFunction = Map.copyOf(peakConnectionsByFunction);
    }

    /**
     * Connections other clients than the lab's gauge held when the run started, after the lab waited for them.
     *
     * @param handling         {@code none} (there were none), {@code gone} (they closed within the wait),
     *                         {@code excluded} (other clients' stayed open; not the run's, so not in its figures),
     *                         {@code subtracted} (some under the run's own functions' names stayed open; its figures
     *                         count only connections beyond them) or {@code unattributed} (the server did not list its
     *                         connections per client: the run's figures are totals minus the gauge's)
     * @param waitedSeconds    how long the lab waited for them before the run started
     * @param connectionsByApp still open after the wait, per {@code appName}; empty when none
     */
    public record Leftovers(String handling, double waitedSeconds, Map<String, Long> connectionsByApp) {

        /** Nothing was open besides the gauge. */
        public static final Leftovers NONE = new Leftovers("none", 0, Map.of());

        public Leftovers {
            connectionsByApp = Map.copyOf(connectionsByApp);
        }
    }

    /**
     * Failed requests by kind.
     *
     * @param throttled   HTTP 429
     * @param unavailable HTTP 503 (and 502/504 from the gateway)
     * @param other       any other failure, including client-side timeouts and connection errors
     */
    public record Errors(long throttled, long unavailable, long other) {
        public long total() {
            return throttled + unavailable + other;
        }
    }

    /**
     * Latency percentiles in milliseconds.
     *
     * @param p50 median
     * @param p90 90th percentile
     * @param p99 99th percentile
     * @param max slowest request
     */
    public record Latency(double p50, double p90, double p99, double max) {
    }

    /**
     * How long the init phases of cold starts took: the handler's class loading and construction, where the clients
     * are built.
     *
     * @param count      init phases
     * @param meanMillis their mean in milliseconds; NaN when there were none
     * @param maxMillis  the longest in milliseconds; NaN when there were none
     */
    public record InitDurations(long count, double meanMillis, double maxMillis) {

        /** No init phase seen (or none measurable, as for a deployed API). */
        public static final InitDurations NONE = new InitDurations(0, Double.NaN, Double.NaN);
    }

    /**
     * What the run's functions on Lambda Managed Instances used, all of them together, and how they were sized.
     *
     * @param minEnvironments       {@code MinExecutionEnvironments} of each such function; 0 when none ran there
     * @param maxVCpuCount          the capacity provider's {@code MaxVCpuCount} the run deployed; 0 when none
     * @param environmentsStarted   environments started
     * @param peakConcurrentInvocationsPerEnvironment the most invocations one environment ran at once
     * @param environmentSeconds    the sum of the environments' lifetimes
     * @param vCpuSeconds           the same weighted by each environment's vCPUs: what the instances are billed on
     */
    public record ManagedInstances(int minEnvironments, int maxVCpuCount, long environmentsStarted,
            int peakConcurrentInvocationsPerEnvironment, double environmentSeconds, double vCpuSeconds) {

        /** No function of the run was on managed instances. */
        public static final ManagedInstances NONE = new ManagedInstances(0, 0, 0, 0, 0, 0);
    }

    /**
     * The estimated AWS bill.
     *
     * @param gbSeconds               billed duration × configured memory, functions on Lambda's default compute
     * @param requestsUsd             invocation charge for this run, all functions
     * @param computeUsd              duration charge for this run (Lambda's default compute)
     * @param instanceSeconds         managed instances: the environments' vCPU-seconds / the instance type's vCPUs
     * @param instancesUsd            their EC2 on-demand price
     * @param managementFeeUsd        the management fee on that price
     * @param usdPerMillionRequests   everything above scaled to one million HTTP requests
     * @param proxyGbSeconds          the DB proxy function's part of {@code gbSeconds} (0 when it is not on Lambda's
     *                                default compute or the run has none), so that the bill splits into what the
     *                                business functions and what the proxy cost
     */
    public record Cost(double gbSeconds, double requestsUsd, double computeUsd, double instanceSeconds,
            double instancesUsd, double managementFeeUsd, double usdPerMillionRequests, double proxyGbSeconds) {

        /** A bill with no DB proxy on Lambda's default compute. */
        public Cost(double gbSeconds, double requestsUsd, double computeUsd, double instanceSeconds,
                double instancesUsd, double managementFeeUsd, double usdPerMillionRequests) {
            this(gbSeconds, requestsUsd, computeUsd, instanceSeconds, instancesUsd, managementFeeUsd,
                    usdPerMillionRequests, 0);
        }

        /** This bill, of which the DB proxy function's billed duration was {@code gbSeconds}. */
        public Cost withProxyGbSeconds(double gbSeconds) {
            return new Cost(this.gbSeconds, requestsUsd, computeUsd, instanceSeconds, instancesUsd, managementFeeUsd,
                    usdPerMillionRequests, gbSeconds);
        }
    }
}
