package dev.dbproxy.proxy.handler;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TimeBudgetTest {

    @Test
    void until_isBoundedByTheCallersDeadline_whenItComesFirst() {
        TimeBudget budget = TimeBudget.until(Instant.now().plusMillis(2_000),
                TestContext.withRemaining(Duration.ofSeconds(60)));

        long left = budget.remaining().toMillis();
        assertTrue(left > 1_500 && left <= 2_000, () -> "left " + left);
    }

    @Test
    void until_keepsAReserveOfTheInvocationsRemainingTime_whenItComesFirst() {
        TimeBudget budget = TimeBudget.until(Instant.now().plusSeconds(60),
                TestContext.withRemaining(Duration.ofSeconds(3)));

        long left = budget.remaining().toMillis();
        assertTrue(left > 2_400 && left <= 2_750, () -> "3 s remaining less a 250 ms reserve, left " + left);
    }

    @Test
    void until_endsTwentyMillisecondsBeforeTheCallersDeadline_soTheAnswerArrivesInTime() {
        TimeBudget soon = TimeBudget.until(Instant.now().plusMillis(19),
                TestContext.withRemaining(Duration.ofSeconds(60)));
        TimeBudget later = TimeBudget.until(Instant.now().plusMillis(1_000),
                TestContext.withRemaining(Duration.ofSeconds(60)));

        assertTrue(soon.exhausted(), "19 ms before the deadline: no time left to run anything");
        assertTrue(later.remaining().toMillis() <= 980, () -> "left " + later.remaining().toMillis());
    }

    @Test
    void until_isAtMostFifteenMinutes_evenForADeadlineAtTheEndOfTime() {
        TimeBudget budget = TimeBudget.until(Instant.ofEpochMilli(Long.MAX_VALUE / 2), null);

        assertTrue(budget.remaining().toMinutes() >= 14 && budget.remaining().toMinutes() <= 15);
        assertFalse(budget.exhausted());
    }

    @Test
    void until_isExhausted_whenTheDeadlineHasPassed() {
        TimeBudget budget = TimeBudget.until(Instant.now().minusMillis(5),
                TestContext.withRemaining(Duration.ofSeconds(60)));

        assertTrue(budget.exhausted());
    }

    @Test
    void until_isExhausted_whenTheInvocationHasLessThanItsReserveLeft() {
        TimeBudget budget = TimeBudget.until(Instant.now().plusSeconds(60),
                TestContext.withRemaining(Duration.ofMillis(15)));

        assertTrue(budget.exhausted());
    }
}
