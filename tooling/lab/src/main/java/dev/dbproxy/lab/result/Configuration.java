package dev.dbproxy.lab.result;

import java.util.List;

/**
 * Where a run's functions execute: the strategy, and for its business functions and its DB proxy whether they run
 * on Lambda's default compute or on Lambda Managed Instances. The configuration decides how many connection pools
 * the database sees (one per environment, and a managed-instances environment serves many invocations at once) and
 * how AWS bills the run (duration, or the instances' EC2 price plus a management fee).
 *
 * @param label           what the reports print, e.g. {@code direct / managed instances}
 * @param strategy        {@code direct} or {@code lambda-proxy}
 * @param businessCompute {@link #LAMBDA} or {@link #MANAGED_INSTANCES}: where the business functions run
 * @param proxyCompute    where the DB proxy runs; {@code none} for {@code direct}
 */
public record Configuration(String label, String strategy, String businessCompute, String proxyCompute) {

    /** Lambda's default compute: one invocation per environment, billed by duration. */
    public static final String LAMBDA = "lambda";
    /** Lambda Managed Instances: many invocations per environment, billed by the instances. */
    public static final String MANAGED_INSTANCES = "managed-instances";
    /** The {@code proxyCompute} of the direct strategy, which has no DB proxy. */
    public static final String NONE = "none";

    public static final Configuration DIRECT = new Configuration("direct", "direct", LAMBDA, NONE);
    public static final Configuration LAMBDA_PROXY = new Configuration("lambda-proxy", "lambda-proxy", LAMBDA, LAMBDA);
    public static final Configuration DIRECT_MANAGED = new Configuration("direct / managed instances", "direct",
            MANAGED_INSTANCES, NONE);
    public static final Configuration LAMBDA_PROXY_MANAGED = new Configuration("lambda-proxy / managed instances",
            "lambda-proxy", MANAGED_INSTANCES, MANAGED_INSTANCES);
    public static final Configuration PROXY_ON_MANAGED = new Configuration(
            "lambda-proxy / proxy on managed instances", "lambda-proxy", LAMBDA, MANAGED_INSTANCES);

    /** Today's two runs on Lambda's default compute. */
    public static final List<Configuration> STANDARD = List.of(DIRECT, LAMBDA_PROXY);
    /** The three with managed instances, in the order they run. */
    public static final List<Configuration> WITH_MANAGED_INSTANCES = List.of(DIRECT_MANAGED, LAMBDA_PROXY_MANAGED,
            PROXY_ON_MANAGED);

    /** Whether the business functions run on managed instances. */
    public boolean businessOnManagedInstances() {
        return businessCompute.equals(MANAGED_INSTANCES);
    }

    /** Whether the DB proxy runs on managed instances. */
    public boolean proxyOnManagedInstances() {
        return proxyCompute.equals(MANAGED_INSTANCES);
    }

    /** Whether any function of the run is on managed instances. */
    public boolean anyOnManagedInstances() {
        return businessOnManagedInstances() || proxyOnManagedInstances();
    }

    /** Where the functions run, in a few words for a table header: {@code Lambda}, {@code managed}, ... */
    public String computeLabel() {
        if (businessOnManagedInstances()) {
            return "managed";
        }
        return proxyOnManagedInstances() ? "proxy managed" : "Lambda";
    }
}
