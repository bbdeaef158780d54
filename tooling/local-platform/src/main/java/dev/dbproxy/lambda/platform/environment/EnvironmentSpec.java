package dev.dbproxy.lambda.platform.environment;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything an environment needs to initialize.
 *
 * @param environmentId a unique id
 * @param functionName  the function's name
 * @param functionArn   the function's unqualified ARN
 * @param handler       {@code pkg.Class} or {@code pkg.Class::method}
 * @param memoryMb      the memory size the context reports
 * @param variables     the complete environment variables, the standard Lambda ones included
 * @param classPath     where the function's classes come from; empty means this JVM's {@code java.class.path}
 * @param logGroupName  {@code /aws/lambda/<name>}
 * @param logStreamName the environment's log stream
 * @param maxConcurrency how many invocations the platform hands the environment at once: 1 on Lambda's default
 *                       compute, more on managed instances (then it is never frozen)
 */
public record EnvironmentSpec(
        String environmentId,
        String functionName,
        String functionArn,
        String handler,
        int memoryMb,
        Map<String, String> variables,
        List<Path> classPath,
        String logGroupName,
        String logStreamName,
        int maxConcurrency) {

    /** The value of {@code AWS_LAMBDA_INITIALIZATION_TYPE} in a SnapStart environment. */
    public static final String SNAP_START = "snap-start";

    /** Copies the collections. */
    public EnvironmentSpec {
        Objects.requireNonNull(environmentId, "environmentId");
        Objects.requireNonNull(functionName, "functionName");
        Objects.requireNonNull(handler, "handler");
        if (maxConcurrency < 1) {
            throw new IllegalArgumentException("maxConcurrency must be at least 1, was " + maxConcurrency);
        }
        variables = Map.copyOf(variables);
        classPath = List.copyOf(classPath);
    }

    /** Whether the environment runs several invocations at once (managed instances). */
    public boolean multiConcurrent() {
        return maxConcurrency > 1;
    }

    /**
     * Whether the environment initializes for a SnapStart snapshot ({@code AWS_LAMBDA_INITIALIZATION_TYPE=snap-start}):
     * its runtime then waits for {@code /runtime/restore/next} after init, and the environment is restored before its
     * first invocation.
     */
    public boolean snapStart() {
        return SNAP_START.equals(variables.get("AWS_LAMBDA_INITIALIZATION_TYPE"));
    }

    /** The variables do not print: they often hold credentials. */
    @Override
    public String toString() {
        return "EnvironmentSpec[" + environmentId + " of " + functionName + ", handler=" + handler + ", variables=<hidden>]";
    }
}
