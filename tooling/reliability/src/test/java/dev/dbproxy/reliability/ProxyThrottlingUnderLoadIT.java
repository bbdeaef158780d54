package dev.dbproxy.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dbproxy.lab.serve.LocalNotesStack;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * More virtual users on the proxy routes than the proxy's reserved concurrency allows: every request either succeeds
 * or is answered 429 (or 503) with {@code Retry-After}, never 500, the proxy never runs more environments than its
 * reservation, and nothing acknowledged is lost or doubled.
 */
class ProxyThrottlingUnderLoadIT {

    private static final int RESERVED_CONCURRENCY = 1;
    private static final int USERS = 6;
    private static final Duration JUDGED_LOAD = Duration.ofSeconds(10);

    @Test
    void proxyReservedConcurrencyExhausted_answersSuccessOr429WithRetryAfter_neverMore_andLosesNothing() {
        try (NotesStackFixture fixture = NotesStackFixture.start(LocalNotesStack.builder()
                .parameter("ProxyReservedConcurrency", Integer.toString(RESERVED_CONCURRENCY)))) {
            NoteLedger ledger = new NoteLedger();
            Outcomes outcomes;
            long throttlesBefore;
            try (MixedLoad load = MixedLoad.start(List.of(fixture.proxy()), USERS, MixedLoad.Mix.READS_AND_WRITES, 5, ledger)) {
                long warmAt = NotesStackFixture.warmUp(load, List.of("proxy"), MixedLoad.OPERATIONS);
                throttlesBefore = fixture.stack().platform().metrics(NotesStackFixture.PROXY_FUNCTION).throttles();
                NotesStackFixture.sleep(JUDGED_LOAD);
                outcomes = new Outcomes(load.outcomes()).sentAfter(warmAt);
            }
            var proxyMetrics = fixture.stack().platform().metrics(NotesStackFixture.PROXY_FUNCTION);
            long throttled = proxyMetrics.throttles() - throttlesBefore;
            System.out.printf("proxy reserved concurrency %d, %d users: %d proxy invocations throttled, %d answered 429,"
                            + " peak proxy environments %d; %s%n", RESERVED_CONCURRENCY, USERS, throttled,
                    outcomes.count(outcome -> outcome.status() == 429), proxyMetrics.peak().live(), outcomes.histogram());

            assertEquals(List.of(), outcomes.unexpected(), "only successes and 429/503 with Retry-After; failed functions: "
                    + fixture.failedFunctions());
            assertTrue(throttled > 0, "the proxy was never throttled: the scenario put no pressure on it");
            assertTrue(outcomes.count(MixedLoad.Outcome::success) > 0, "nothing succeeded under pressure");
            assertTrue(proxyMetrics.peak().live() <= RESERVED_CONCURRENCY,
                    "the proxy ran " + proxyMetrics.peak().live() + " environments");
            assertEquals(List.of(), fixture.verify(ledger));
        }
    }
}
