package dev.dbproxy.proxy.handler;

import com.amazonaws.services.lambda.runtime.Context;
import java.time.Duration;
import java.time.Instant;

/**
 * The time a request may take: until {@value #ANSWER_RESERVE_MILLIS} ms before the caller's deadline (so that the
 * answer, written and sent back, reaches the caller by then), and never past the invocation's own remaining time less
 * a reserve for writing the response (a Lambda that overruns its timeout returns nothing at all).
 */
final class TimeBudget {

    private static final long MIN_RESERVE_MILLIS = 20;
    /** Kept before the caller's deadline to write the answer and send it back. */
    static final long ANSWER_RESERVE_MILLIS = 20;
    private static final long MAX_RESERVE_MILLIS = 250;
    /** Lambda's longest function timeout: no request can need more, and it keeps the arithmetic from overflowing. */
    private static final long MAX_BUDGET_MILLIS = 15 * 60 * 1000;

    private final long endNanos;

    private TimeBudget(long endNanos) {
        this.endNanos = endNanos;
    }

    /**
     * The budget of a request that arrives now. The deadline is wall-clock time (the caller's clock, which on AWS is
     * kept in sync); the invocation's remaining time comes from the context, or is unbounded without one.
     */
    static TimeBudget until(Instant deadline, Context context) {
        long now = System.nanoTime();
        long untilDeadline = deadline.toEpochMilli() - System.currentTimeMillis();
        long budget = untilDeadline - ANSWER_RESERVE_MILLIS;
        if (context != null) {
            long remaining = context.getRemainingTimeInMillis();
            long reserve = Math.clamp(remaining / 10, MIN_RESERVE_MILLIS, MAX_RESERVE_MILLIS);
            budget = Math.min(budget, remaining - reserve);
        }
        return new TimeBudget(now + Math.clamp(budget, 0, MAX_BUDGET_MILLIS) * 1_000_000L);
    }

    /** The time left, zero once it has run out. */
    Duration remaining() {
        return Duration.ofNanos(Math.max(0, endNanos - System.nanoTime()));
    }

    /** Whether less than a millisecond is left: too little to start a database operation. */
    boolean exhausted() {
        return remaining().toMillis() < 1;
    }
}
