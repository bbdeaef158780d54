package dev.dbproxy.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dbproxy.lab.serve.LocalNotesStack;
import dev.dbproxy.lambda.platform.FunctionDefinition;
import dev.dbproxy.lambda.platform.FunctionMetrics;
import dev.dbproxy.lambda.platform.LocalLambdaPlatform;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The proxy's environments crash in the middle of invocations, and the proxy's invocations time out, under concurrent
 * writes through the HTTP API: the business functions answer 503 with {@code Retry-After} (never 500), the adapter
 * sends each write to the proxy at most once (no more invocations than requests: nothing retried a write that may
 * have run), and nothing acknowledged is lost or doubled.
 */
class ProxyEnvironmentFaultsIT {

    private static final int USERS = 3;
    private static final Duration FAULT_PHASE = Duration.ofSeconds(6);
    private static final String PROXY = NotesStackFixture.PROXY_FUNCTION;

    private static NotesStackFixture fixture;
    /** Shared by both tests, since both write to the same database. */
    private static NoteLedger ledger;

    @BeforeAll
    static void start() {
        fixture = NotesStackFixture.start(LocalNotesStack.builder());
        ledger = new NoteLedger();
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    @Test
    void proxyEnvironmentsDestroyedMidInvocation_answer503_andNoWriteIsSentTwice() {
        LocalLambdaPlatform platform = fixture.stack().platform();
        warmUp();

        long invocationsBefore = platform.metrics(PROXY).invocations();
        int destroyed = 0;
        Outcomes outcomes;
        try (MixedLoad load = MixedLoad.start(List.of(fixture.proxy()), USERS, MixedLoad.Mix.WRITES_ONLY, 10, ledger)) {
            long end = System.nanoTime() + FAULT_PHASE.toNanos();
            while (System.nanoTime() < end) {
                destroyed += platform.destroyBusyEnvironments(PROXY);
                NotesStackFixture.sleep(Duration.ofMillis(300));
            }
            load.close();
            outcomes = new Outcomes(load.outcomes());
        }
        long invocations = platform.metrics(PROXY).invocations() - invocationsBefore;
        System.out.printf("proxy environments destroyed mid-invocation: %d; %d requests, %d proxy invocations; %s%n",
                destroyed, outcomes.all().size(), invocations, outcomes.histogram());

        assertTrue(destroyed > 0, "no proxy environment was busy when destroyed");
        assertFaultReachedCallersAs503_andNoWriteTwice(outcomes, invocations, "crash");
    }

    @Test
    void proxyInvocationsTimingOut_answer503_andNoWriteIsSentTwice() throws Exception {
        LocalLambdaPlatform platform = fixture.stack().platform();
        FunctionDefinition original = platform.definition(PROXY);
        try (FaultyTcpRelay relay = FaultyTcpRelay.to(fixture.stack().embeddedDatabase().address())) {
            Duration proxyTimeout = Duration.ofSeconds(1);
            platform.deploy(original.toBuilder().timeout(proxyTimeout)
                    .environmentVariable("MONGODB_URI", relay.mongoConnectionString()).build());
            warmUp();

            FunctionMetrics before = platform.metrics(PROXY);
            Outcomes outcomes;
            relay.addLatency(proxyTimeout.plusMillis(500));
            try (MixedLoad load = MixedLoad.start(List.of(fixture.proxy()), USERS, MixedLoad.Mix.WRITES_ONLY, 10, ledger)) {
                NotesStackFixture.sleep(FAULT_PHASE);
                load.close();
                outcomes = new Outcomes(load.outcomes());
            }
            relay.addLatency(Duration.ZERO);
            // Writes the relay still holds reach the database late, after their callers got a 503.
            NotesStackFixture.sleep(Duration.ofSeconds(3));
            FunctionMetrics after = platform.metrics(PROXY);
            long invocations = after.invocations() - before.invocations();
            System.out.printf("proxy timeout %d ms, database %d ms away: %d requests, %d proxy invocations, %d Lambda"
                            + " timeouts; %s%n", proxyTimeout.toMillis(), proxyTimeout.plusMillis(500).toMillis(),
                    outcomes.all().size(), invocations, after.timeouts() - before.timeouts(), outcomes.histogram());

            assertFaultReachedCallersAs503_andNoWriteTwice(outcomes, invocations, "timeout");
        } finally {
            platform.deploy(original);
        }
    }

    /** Writes on the proxy routes until their functions (and the proxy) have warm environments. */
    /**
     * Callers saw only successes and 503s with Retry-After, at least one 503 (the fault reached them), the proxy ran
     * no write twice (no more invocations than requests), and the ledger finds nothing lost or doubled.
     */
    private static void assertFaultReachedCallersAs503_andNoWriteTwice(Outcomes outcomes, long invocations,
            String fault) {
        assertEquals(List.of(), outcomes.unexpected(), "only successes and 503 with Retry-After; failed functions: "
                + fixture.failedFunctions());
        assertTrue(outcomes.count(MixedLoad.Outcome::retryLater) > 0, "no " + fault + " reached a caller as 503");
        assertTrue(invocations <= outcomes.all().size(), "a write reached the proxy more than once: " + invocations
                + " invocations for " + outcomes.all().size() + " requests");
        assertEquals(List.of(), fixture.verify(ledger));
    }

    private static void warmUp() {
        try (MixedLoad load = MixedLoad.start(List.of(fixture.proxy()), USERS, MixedLoad.Mix.WRITES_ONLY, 10, ledger)) {
            NotesStackFixture.warmUp(load, List.of("proxy"), MixedLoad.WRITE_OPERATIONS);
        }
    }
}
