package dev.dbproxy.lab.run;

import dev.dbproxy.lab.load.RequestSigner;
import dev.dbproxy.lambda.platform.environment.ResourceUsage;
import dev.dbproxy.lab.load.ReaderRoutes;
import dev.dbproxy.lab.result.Configuration;
import dev.dbproxy.lab.result.Sample;
import dev.dbproxy.lab.result.Summary;
import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * The system one run drives: the local platform with the SAM template's functions, or any deployed HTTP API (then
 * only what is visible from outside — latency, errors and the database's connections — is measured).
 */
public interface LabTarget extends AutoCloseable {

    /** The strategy and where its functions run. */
    Configuration configuration();

    /** {@code direct} or {@code lambda-proxy}. */
    default String strategy() {
        return configuration().strategy();
    }

    /** {@code abandon} or {@code graceful}. */
    String reclaimMode();

    /** Where the HTTP API listens. */
    URI baseUrl();

    /** How the virtual users' requests are signed: not at all, unless the target is a deployed API that wants it. */
    default RequestSigner requestSigner() {
        return RequestSigner.UNSIGNED;
    }

    /** The reader routes the virtual users loop over, one pair per two business functions. */
    List<ReaderRoutes> readerRoutes();

    /**
     * The names of the run's functions, whose connections are the run's: each client names itself after its function
     * ({@code MONGODB_APP_NAME}, else {@code AWS_LAMBDA_FUNCTION_NAME}; see {@code RunConnections#owner}). Functions
     * that do not connect (proxy-strategy business functions) may be listed; they simply hold none.
     */
    List<String> functions();

    /**
     * Whether the run's functions may already hold connections when the load starts: environments started at
     * deployment (managed instances keep a minimum). Then connections under their names are the run's, not an
     * earlier run's leftovers.
     */
    default boolean connectsAtDeploy() {
        return false;
    }

    /** Execution environments per function now; empty when the target cannot see them. */
    Map<String, Sample.EnvironmentCounts> environments();

    /** Whether {@link #redeployBusinessFunctions()} is possible. */
    boolean canRedeploy();

    /** Replaces the code of every business function: their environments are retired, the next calls cold-start. */
    void redeployBusinessFunctions();

    /**
     * The load has stopped: from now on idle environments are reclaimed after the run's short idle time. During the
     * load they are not, as on Lambda, whose idle timeout is minutes.
     */
    default void enterIdlePhase() {
    }

    /**
     * What the target's execution environments use of the machine now (resident memory of those alive, CPU time of
     * all so far); {@link ResourceUsage#NONE} when it cannot tell (in-process environments, a deployed API).
     */
    default ResourceUsage resourceUsage() {
        return ResourceUsage.NONE;
    }

    /** Invocation figures since the target started. */
    Totals totals();

    @Override
    void close();

    /**
     * Invocation figures of a run.
     *
     * @param businessInvocations invocations of the business functions
     * @param proxyInvocations    invocations of the proxy function
     * @param coldStarts          environments created, all functions
     * @param businessInit        init phases of the business functions
     * @param proxyInit           init phases of the proxy function
     * @param proxyThrottles      proxy invocations refused by its reserved concurrency
     * @param adapterRetries      throttled proxy invocations the adapter retried
     * @param gbSeconds           billed duration, init included, times configured memory, functions on Lambda's
     *                            default compute
     * @param peakEnvironments    highest number of live environments seen, all functions
     * @param managedInvocations  invocations of the functions on managed instances (part of the two counts above)
     * @param managedInstances    what the functions on managed instances used
     */
    record Totals(long businessInvocations, long proxyInvocations, long coldStarts, Summary.InitDurations businessInit,
            Summary.InitDurations proxyInit, long proxyThrottles, long adapterRetries, double gbSeconds,
            long peakEnvironments, long managedInvocations, Summary.ManagedInstances managedInstances,
            double proxyGbSeconds) {

        /** Nothing measured (a target that cannot see the platform). */
        public static final Totals UNKNOWN = new Totals(0, 0, 0, Summary.InitDurations.NONE,
                Summary.InitDurations.NONE, 0, 0, 0, 0, 0, Summary.ManagedInstances.NONE, 0);
    }
}
