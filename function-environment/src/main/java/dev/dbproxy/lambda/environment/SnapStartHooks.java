package dev.dbproxy.lambda.environment;

import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;

/**
 * The one place the project registers Lambda SnapStart runtime hooks ({@code org.crac} resources), so that the
 * clients and the per-environment values the functions build during init are handled around a snapshot.
 *
 * <p>Why: with SnapStart, Lambda runs init once, snapshots the JVM, and resumes many execution environments from that
 * one snapshot. A socket opened during init would be dead (or shared) in every restored environment, and anything
 * random drawn during init (an id prefix, an id generator's seed) would be the same in all of them. Lambda's runtime
 * calls every registered resource's {@code beforeCheckpoint} just before the snapshot and {@code afterRestore} in each
 * restored environment, before its first invocation (its launch command sets
 * {@code -Dorg.crac.Core.Compat=com.amazonaws.services.lambda.crac}, which points {@code org.crac} at the runtime's own
 * context).
 *
 * <p>Hooks are registered only in an environment initialized for a snapshot ({@value #INITIALIZATION_TYPE}
 * {@code =}{@value #SNAP_START}): an on-demand environment loads no CRaC class and pays nothing. {@code org.crac}
 * holds a resource weakly; the hooks registered here stay strongly reachable until their {@link Registration} is
 * closed, after which they do nothing.
 */
public final class SnapStartHooks {

    /** The variable Lambda sets to the way it initializes the environment. */
    public static final String INITIALIZATION_TYPE = "AWS_LAMBDA_INITIALIZATION_TYPE";
    /** The value of {@value #INITIALIZATION_TYPE} in an environment whose init ends in a snapshot. */
    public static final String SNAP_START = "snap-start";

    /** What keeps the registered hooks alive: {@code org.crac} holds them weakly. */
    private static final Set<Hook> REGISTERED = ConcurrentHashMap.newKeySet();

    private SnapStartHooks() {
    }

    /**
     * Registers {@code beforeCheckpoint} and {@code afterRestore} when the function's environment
     * ({@link FunctionEnvironment#variables()}) is initialized for a snapshot; otherwise registers nothing.
     *
     * @param name what the hooks serve, as an error from one of them names it
     * @return what unregisters them; closing it is harmless when nothing was registered
     */
    public static Registration register(String name, Runnable beforeCheckpoint, Runnable afterRestore) {
        return register(FunctionEnvironment.variables(), name, beforeCheckpoint, afterRestore);
    }

    /** As {@link #register(String, Runnable, Runnable)}, for the environment {@code variables}. */
    public static Registration register(Map<String, String> variables, String name, Runnable beforeCheckpoint,
            Runnable afterRestore) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(beforeCheckpoint, "beforeCheckpoint");
        Objects.requireNonNull(afterRestore, "afterRestore");
        if (!initializedForSnapshot(variables)) {
            return () -> { };
        }
        Hook hook = new Hook(name, beforeCheckpoint, afterRestore);
        REGISTERED.add(hook);
        Core.getGlobalContext().register(hook);
        return hook::unregister;
    }

    /** Whether {@value #INITIALIZATION_TYPE} says this environment's init ends in a snapshot. */
    public static boolean initializedForSnapshot(Map<String, String> variables) {
        return SNAP_START.equals(variables.getOrDefault(INITIALIZATION_TYPE, "").strip());
    }

    /** How many hooks are registered and not yet unregistered (what a test can check a close released). */
    static int registeredCount() {
        return REGISTERED.size();
    }

    /** Unregisters hooks: they are no longer kept alive and do nothing if the runtime still calls them. */
    @FunctionalInterface
    public interface Registration extends AutoCloseable {

        /** Unregisters; calling it again does nothing. */
        @Override
        void close();
    }

    private static final class Hook implements Resource {

        private final String name;
        private final Runnable beforeCheckpoint;
        private final Runnable afterRestore;
        private volatile boolean active = true;

        Hook(String name, Runnable beforeCheckpoint, Runnable afterRestore) {
            this.name = name;
            this.beforeCheckpoint = beforeCheckpoint;
            this.afterRestore = afterRestore;
        }

        @Override
        public void beforeCheckpoint(Context<? extends Resource> context) {
            if (active) {
                beforeCheckpoint.run();
            }
        }

        @Override
        public void afterRestore(Context<? extends Resource> context) {
            if (active) {
                afterRestore.run();
            }
        }

        void unregister() {
            active = false;
            REGISTERED.remove(this);
        }

        @Override
        public String toString() {
            return "SnapStartHooks[" + name + "]";
        }
    }
}
