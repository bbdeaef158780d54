package dev.dbproxy.reliability;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dbproxy.lab.serve.LocalNotesStack;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The database stops under concurrent mixed load on both strategies, stays down for a while and comes back, all
 * through the HTTP API: requests fail fast as 503 with {@code Retry-After} (never 500, never hanging until the Lambda
 * timeout), service comes back by itself, and nothing acknowledged is lost or doubled.
 */
class DatabaseRestartUnderLoadIT {

    private static final Duration OUTAGE = Duration.ofSeconds(6);
    private static final int USERS_PER_STRATEGY = 2;
    private static final List<String> STRATEGIES = List.of("direct", "proxy");

    @Test
    void databaseDownUnderLoad_answers503WithRetryAfterQuickly_recoversByItself_andLosesNothing() {
        try (NotesStackFixture fixture = NotesStackFixture.start(LocalNotesStack.builder())) {
            Duration serverSelection = fixture.configuredServerSelectionTimeout();
            // The first outage answer waits at most for one server selection, plus generous slack for a busy machine.
            Duration failFastBound = serverSelection.plusSeconds(5);
            // Failing fast rules out waiting for the business function's timeout: every 503 must come before it.
            Duration functionTimeout = fixture.stack().platform().definition("ProxyCreateNoteFunction").timeout();
            // The driver re-checks a lost server at least every 500 ms while operations wait to select one.
            Duration recoveryBound = serverSelection.multipliedBy(2).plusSeconds(10);
            NoteLedger ledger = new NoteLedger();
            long warmAt;
            long stoppedAt;
            long restartedAt;
            Outcomes outcomes;
            try (MixedLoad load = MixedLoad.start(fixture.bothStrategies(), USERS_PER_STRATEGY,
                    MixedLoad.Mix.READS_AND_WRITES, 50, ledger)) {
                warmAt = NotesStackFixture.warmUp(load, STRATEGIES, MixedLoad.OPERATIONS);
                stoppedAt = System.nanoTime();
                fixture.stack().embeddedDatabase().stop();
                NotesStackFixture.sleep(OUTAGE);
                restartedAt = System.nanoTime();
                fixture.stack().embeddedDatabase().restart();

                await("service back after the restart").atMost(recoveryBound.plusSeconds(10))
                        .pollInterval(Duration.ofMillis(50)).untilAsserted(() -> assertTrue(recovered(load, restartedAt),
                                () -> "service did not come back: "
                                        + new Outcomes(load.outcomes()).sentAfter(restartedAt).histogram()));
                outcomes = new Outcomes(load.outcomes()).sentAfter(warmAt);
            }

            for (String strategy : STRATEGIES) {
                Outcomes ofStrategy = outcomes.of(strategy);
                OptionalLong firstRetryLater = ofStrategy.firstRetryLaterAfter(stoppedAt);
                OptionalLong recovery = ofStrategy.firstSuccessSentAfter(restartedAt);
                long slowestOutageAnswer = ofStrategy.all().stream().filter(MixedLoad.Outcome::retryLater)
                        .mapToLong(MixedLoad.Outcome::durationMillis).max().orElse(0);
                System.out.printf("%s: time to first 503 after stop %d ms, slowest 503 %d ms, time to recovery"
                                + " after restart %d ms (server selection %d ms); %s%n", strategy,
                        millis(firstRetryLater), slowestOutageAnswer, millis(recovery), serverSelection.toMillis(),
                        ofStrategy.histogram());

                assertEquals(List.of(), ofStrategy.unexpected(), strategy + ": only successes and 503/429 with"
                        + " Retry-After; failed functions: " + fixture.failedFunctions());
                assertTrue(firstRetryLater.isPresent(), strategy + ": the outage never showed as a 503");
                assertTrue(millis(firstRetryLater) <= failFastBound.toMillis(),
                        strategy + ": first 503 came " + millis(firstRetryLater) + " ms after the stop");
                assertTrue(slowestOutageAnswer < functionTimeout.toMillis(),
                        strategy + ": a 503 took " + slowestOutageAnswer + " ms, as long as the function's timeout");
                assertTrue(recovery.isPresent() && millis(recovery) <= recoveryBound.toMillis(),
                        strategy + ": recovery took " + millis(recovery) + " ms");
            }
            assertEquals(List.of(), fixture.verify(ledger));
        }
    }

    /** Whether the last 10 requests of each strategy, all sent after the restart, succeeded. */
    private static boolean recovered(MixedLoad load, long restartedAt) {
        Outcomes afterRestart = new Outcomes(load.outcomes()).sentAfter(restartedAt);
        return STRATEGIES.stream().allMatch(strategy -> afterRestart.of(strategy).all().size() >= 10
                && afterRestart.of(strategy).last(10).count(outcome -> !outcome.success()) == 0);
    }

    private static long millis(OptionalLong nanos) {
        return nanos.isPresent() ? TimeUnit.NANOSECONDS.toMillis(nanos.getAsLong()) : -1;
    }
}
