package dev.dbproxy.lambda.platform;

/**
 * Where a function's execution environments run, which decides how they take invocations and scale: Lambda's
 * default (one invocation per environment, frozen between invocations, a new environment per concurrent request) or
 * {@link ManagedInstances} (many invocations per environment, never frozen, scaled ahead of demand). AWS fixes it when
 * the function is created; so does this platform.
 */
public sealed interface FunctionCompute permits FunctionCompute.Lambda, ManagedInstances {

    /** Lambda's default compute. */
    FunctionCompute LAMBDA = new Lambda();

    /** Lambda's default compute: Firecracker microVMs, one invocation at a time each. */
    record Lambda() implements FunctionCompute {
    }
}
