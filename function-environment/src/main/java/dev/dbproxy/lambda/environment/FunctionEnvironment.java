package dev.dbproxy.lambda.environment;

import java.util.Map;
import java.util.Objects;

/**
 * The environment variables of the Lambda function this code runs in.
 *
 * <p>On AWS every execution environment is its own process, so this is simply {@link System#getenv()}. A local
 * platform that hosts many functions in one JVM gives each execution environment its own class loader, in which this
 * class is loaded afresh; before it constructs the handler, the platform calls {@link #install(Map)} in that class
 * loader (by reflection, so functions never depend on the platform). Composition roots read their configuration here
 * and nowhere else.
 */
public final class FunctionEnvironment {

    private static volatile Map<String, String> installed;

    private FunctionEnvironment() {
    }

    /** The function's variables: those installed by a local platform, otherwise the process environment. */
    public static Map<String, String> variables() {
        Map<String, String> variables = installed;
        return variables != null ? variables : System.getenv();
    }

    /**
     * Sets the variables of the execution environment whose class loader loaded this class. Called once by a local
     * platform before the handler is constructed; never called on AWS.
     *
     * @throws IllegalStateException when variables were already installed in this class loader
     */
    public static synchronized void install(Map<String, String> variables) {
        if (installed != null) {
            throw new IllegalStateException("function environment already installed in this class loader");
        }
        installed = Map.copyOf(Objects.requireNonNull(variables, "variables"));
    }
}
