package dev.dbproxy.proxy.client.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.services.lambda.model.TooManyRequestsException;

class ProxyInvokerTest {

    @ParameterizedTest(name = "Retry-After \"{0}\" -> {1} s")
    @CsvSource(nullValues = "null", value = {
            "7, 7", "' 30 ', 30", "null, 1", "'', 1", "0, 1", "-5, 1", "2.5, 1", "soon, 1", "99999999999, 1"})
    void retryAfter_isLambdasAdvice_whenItIsAWholePositiveNumberOfSeconds_elseOneSecond(String header, long seconds) {
        TooManyRequestsException throttle = TooManyRequestsException.builder().retryAfterSeconds(header).build();

        assertEquals(Duration.ofSeconds(seconds), ProxyInvoker.retryAfter(throttle));
    }

    @Test
    void backoff_isDecorrelatedJitter_betweenTheFirstWaitAndThreeTimesThePrevious_capped() {
        Duration previous = ProxyInvoker.FIRST_BACKOFF;
        Set<Duration> seen = new HashSet<>();
        for (int attempt = 0; attempt < 200; attempt++) {
            Duration next = ProxyInvoker.backoff(previous);
            long ceiling = Math.min(ProxyInvoker.MAX_BACKOFF.toMillis(), 3 * previous.toMillis());

            assertTrue(next.compareTo(ProxyInvoker.FIRST_BACKOFF) >= 0 && next.toMillis() <= ceiling,
                    next + " after " + previous);
            seen.add(next);
            previous = next;
        }
        assertTrue(seen.size() > 20, "the waits are random: " + seen.size() + " distinct");
    }

    @ParameterizedTest(name = "backoff {0} ms, {1} ms left -> wait {2}")
    @CsvSource(nullValues = "none", value = {"100, 1000, 100", "300, 450, 250", "100, 201, 1", "100, 200, none",
            "100, 0, none", "100, -40, none"})
    void waitBeforeRetry_isTheBackoff_cutShortForALastAttemptJustBeforeTheDeadline(long backoff, long left,
            Long wait) {
        Optional<Duration> expected = Optional.ofNullable(wait).map(Duration::ofMillis);

        assertEquals(expected, ProxyInvoker.waitBeforeRetry(Duration.ofMillis(backoff), Duration.ofMillis(left)));
    }
}
