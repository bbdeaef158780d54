package dev.dbproxy.lambda.environment;

import java.util.Map;
import java.util.function.Function;

/**
 * How many invocations one execution environment runs at once, and the MongoDB connection pool that follows from it:
 * one rule, read in one place, for the direct adapters and the DB proxy.
 *
 * <p>On standard Lambda an environment runs one invocation at a time, and {@value #MAX_CONCURRENCY} is not set. On
 * Lambda Managed Instances the Java runtime runs up to {@value #MAX_CONCURRENCY} invocations at once, each on its own
 * thread, all sharing one handler object and one client ({@code PerExecutionEnvironmentMaxConcurrency}, by default 32
 * per vCPU).
 *
 * <p>The pool rule, {@link #defaultPoolSize}: one pooled connection per {@value #INVOCATIONS_PER_CONNECTION}
 * concurrent invocations, rounded up, so one on standard Lambda and one per vCPU at AWS's default concurrency. This
 * caps what the database sees at one connection per 32 concurrent invocations (plus one monitoring connection per
 * server and client). A pool as large as the concurrency would let every thread hold a connection and give the
 * database up to 32 per vCPU. The smaller pool keeps up because a MongoDB connection carries one operation at a time
 * and is held only for that operation's round trip and server time (about a millisecond for the short reads and
 * writes of a business function): the waiting threads queue for it inside the driver, within their own deadline,
 * while the environment's vCPU spends its time on the other parts of each invocation. Functions whose operations run
 * long (large scans, slow aggregations) set the pool size variable, which always wins.
 */
public final class InvocationConcurrency {

    /** Set by Lambda Managed Instances to the most invocations one environment runs at once. */
    public static final String MAX_CONCURRENCY = "AWS_LAMBDA_MAX_CONCURRENCY";
    /** Concurrent invocations one pooled connection serves by default. */
    public static final int INVOCATIONS_PER_CONNECTION = 32;

    private InvocationConcurrency() {
    }

    /**
     * The most invocations this environment runs at once: {@value #MAX_CONCURRENCY}, or 1 when it is unset or blank
     * (standard Lambda).
     *
     * @param invalid makes the exception thrown for a value that is not a positive whole number
     */
    public static int maxConcurrentInvocations(Map<String, String> variables,
            Function<String, ? extends RuntimeException> invalid) {
        return EnvironmentNumbers.positiveInt(variables, MAX_CONCURRENCY, 1, invalid);
    }

    /**
     * The pool for this environment's concurrency: {@link #maxConcurrentInvocations} divided by
     * {@value #INVOCATIONS_PER_CONNECTION}, rounded up (1 on standard Lambda, 1 at 32, 2 at 33 to 64).
     *
     * @param invalid makes the exception thrown for an invalid {@value #MAX_CONCURRENCY}
     */
    public static int defaultPoolSize(Map<String, String> variables,
            Function<String, ? extends RuntimeException> invalid) {
        return Math.ceilDiv(maxConcurrentInvocations(variables, invalid), INVOCATIONS_PER_CONNECTION);
    }

    /**
     * The pool size the variable {@code poolVariable} (such as {@code MONGODB_MAX_POOL_SIZE}) gives when set, which
     * always wins; otherwise {@link #defaultPoolSize}.
     *
     * @param invalid makes the exception thrown for an invalid value of either variable, naming it
     */
    public static int poolSize(Map<String, String> variables, String poolVariable,
            Function<String, ? extends RuntimeException> invalid) {
        String configured = variables.get(poolVariable);
        if (configured != null && !configured.isBlank()) {
            return EnvironmentNumbers.positiveInt(variables, poolVariable, 1, invalid);
        }
        return defaultPoolSize(variables, invalid);
    }
}
