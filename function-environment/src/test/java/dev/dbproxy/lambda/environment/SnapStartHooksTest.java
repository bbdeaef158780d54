package dev.dbproxy.lambda.environment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dbproxy.lambda.environment.snapstart.LambdaRuntimeCheckpoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The hooks reach Lambda's runtime the way the runtime reaches them: through {@code org.crac}, pointed at the runtime
 * interface client's CRaC context ({@code -Dorg.crac.Core.Compat}), whose checkpoint and restore the runtime calls
 * around a snapshot. This module's Surefire launches the JVM as Lambda launches a SnapStart environment.
 */
class SnapStartHooksTest {

    /** The variables of an environment Lambda initializes for a snapshot (another test installs other ones). */
    static final Map<String, String> SNAP_START = Map.of(SnapStartHooks.INITIALIZATION_TYPE, SnapStartHooks.SNAP_START);

    @Test
    void register_inASnapStartEnvironment_theRuntimesCheckpointAndRestoreRunTheHooks_inCracOrder() throws Exception {
        List<String> calls = new ArrayList<>();
        try (SnapStartHooks.Registration first = SnapStartHooks.register(SNAP_START, "first",
                     () -> calls.add("first before"), () -> calls.add("first after"));
             SnapStartHooks.Registration second = SnapStartHooks.register(SNAP_START, "second",
                     () -> calls.add("second before"), () -> calls.add("second after"))) {

            LambdaRuntimeCheckpoint.checkpoint();
            LambdaRuntimeCheckpoint.restore();
        }

        assertEquals(List.of("second before", "first before", "first after", "second after"), calls,
                "before a checkpoint in reverse order of registration, after a restore in order");
    }

    @Test
    void register_keepsTheHooksAlive_thoughOrgCracHoldsThemWeakly() throws Exception {
        List<String> calls = new ArrayList<>();
        try (SnapStartHooks.Registration registration = SnapStartHooks.register(SNAP_START, "kept",
                () -> calls.add("before"), () -> calls.add("after"))) {
            for (int i = 0; i < 3; i++) {
                System.gc();
            }

            LambdaRuntimeCheckpoint.checkpoint();
            LambdaRuntimeCheckpoint.restore();
        }

        assertEquals(List.of("before", "after"), calls);
    }

    @Test
    void close_unregisters_theHooksNoLongerRunAndAreNoLongerKept() throws Exception {
        List<String> calls = new ArrayList<>();
        int before = SnapStartHooks.registeredCount();
        SnapStartHooks.Registration registration = SnapStartHooks.register(SNAP_START, "closed",
                () -> calls.add("before"), () -> calls.add("after"));
        assertEquals(before + 1, SnapStartHooks.registeredCount());

        registration.close();
        registration.close();
        LambdaRuntimeCheckpoint.checkpoint();
        LambdaRuntimeCheckpoint.restore();

        assertEquals(List.of(), calls);
        assertEquals(before, SnapStartHooks.registeredCount());
    }

    @Test
    void register_inAnOnDemandEnvironment_registersNothing() throws Exception {
        List<String> calls = new ArrayList<>();
        int before = SnapStartHooks.registeredCount();

        try (SnapStartHooks.Registration registration = SnapStartHooks.register(
                Map.of(SnapStartHooks.INITIALIZATION_TYPE, "on-demand"), "on demand",
                () -> calls.add("before"), () -> calls.add("after"))) {
            assertEquals(before, SnapStartHooks.registeredCount());
            LambdaRuntimeCheckpoint.checkpoint();
            LambdaRuntimeCheckpoint.restore();
        }

        assertEquals(List.of(), calls);
        assertTrue(SnapStartHooks.initializedForSnapshot(Map.of(SnapStartHooks.INITIALIZATION_TYPE, " snap-start ")));
    }
}
