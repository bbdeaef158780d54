package dev.dbproxy.lambda.platform;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Lambda's concurrency accounting: a function with reserved concurrency may run that many invocations and no more;
 * all other functions share what the account limit leaves after the reservations.
 */
final class ConcurrencyLimits {

    static final String RESERVED_LIMIT_EXCEEDED = "ReservedFunctionConcurrentInvocationLimitExceeded";
    static final String ACCOUNT_LIMIT_EXCEEDED = "ConcurrentInvocationLimitExceeded";

    /** Which pool an admitted invocation counts against; released into the same pool whatever changed since. */
    enum Slot {
        RESERVED,
        UNRESERVED,
        /** A managed-instances invocation: its capacity provider and environments limit it, not these pools. */
        MANAGED_INSTANCES
    }

    private final int accountLimit;
    private final AtomicInteger unreservedInFlight = new AtomicInteger();
    private volatile int reservedTotal;

    ConcurrencyLimits(int accountLimit) {
        this.accountLimit = accountLimit;
    }

    int accountLimit() {
        return accountLimit;
    }

    void reservedTotal(int reservedTotal) {
        this.reservedTotal = reservedTotal;
    }

    /** Admits one invocation, or returns null when a limit is reached. */
    Slot tryAcquire(int reservedConcurrency, AtomicInteger reservedInFlight) {
        if (reservedConcurrency != FunctionDefinition.UNRESERVED) {
            return tryIncrement(reservedInFlight, reservedConcurrency) ? Slot.RESERVED : null;
        }
        return tryIncrement(unreservedInFlight, accountLimit - reservedTotal) ? Slot.UNRESERVED : null;
    }

    void release(Slot slot, AtomicInteger reservedInFlight) {
        switch (slot) {
            case RESERVED -> reservedInFlight.decrementAndGet();
            case UNRESERVED -> unreservedInFlight.decrementAndGet();
            case MANAGED_INSTANCES -> {
            }
        }
    }

    private static boolean tryIncrement(AtomicInteger inFlight, int limit) {
        while (true) {
            int current = inFlight.get();
            if (current >= limit) {
                return false;
            }
            if (inFlight.compareAndSet(current, current + 1)) {
                return true;
            }
        }
    }
}
