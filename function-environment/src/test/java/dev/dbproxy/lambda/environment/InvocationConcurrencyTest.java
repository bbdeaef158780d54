package dev.dbproxy.lambda.environment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class InvocationConcurrencyTest {

    private static final String POOL = "MONGODB_MAX_POOL_SIZE";

    @Test
    void onStandardLambda_oneInvocationAtATime_needsOneConnection() {
        assertEquals(1, InvocationConcurrency.maxConcurrentInvocations(Map.of(), IllegalStateException::new));
        assertEquals(1, InvocationConcurrency.poolSize(Map.of(), POOL, IllegalStateException::new));
    }

    @ParameterizedTest
    @CsvSource({"1, 1", "31, 1", "32, 1", "33, 2", "64, 2", "65, 3", "256, 8"})
    void onManagedInstances_thePoolHasOneConnectionPer32ConcurrentInvocations_roundedUp(int concurrency, int pool) {
        Map<String, String> env = Map.of(InvocationConcurrency.MAX_CONCURRENCY, Integer.toString(concurrency));

        assertEquals(concurrency, InvocationConcurrency.maxConcurrentInvocations(env, IllegalStateException::new));
        assertEquals(pool, InvocationConcurrency.poolSize(env, POOL, IllegalStateException::new));
    }

    @Test
    void thePoolVariable_alwaysWins_evenOverAnInvalidConcurrency() {
        assertEquals(5, InvocationConcurrency.poolSize(Map.of(POOL, " 5 ", InvocationConcurrency.MAX_CONCURRENCY, "64"),
                POOL, IllegalStateException::new));
        assertEquals(1, InvocationConcurrency.poolSize(Map.of(POOL, "1", InvocationConcurrency.MAX_CONCURRENCY, "x"),
                POOL, IllegalStateException::new));
    }

    @Test
    void aBlankPoolVariable_leavesTheRuleInForce() {
        assertEquals(2, InvocationConcurrency.poolSize(Map.of(POOL, " ", InvocationConcurrency.MAX_CONCURRENCY, "64"),
                POOL, IllegalStateException::new));
    }

    @Test
    void anInvalidValue_failsNamingItsVariable() {
        IllegalStateException concurrency = assertThrows(IllegalStateException.class, () ->
                InvocationConcurrency.poolSize(Map.of(InvocationConcurrency.MAX_CONCURRENCY, "0"), POOL,
                        IllegalStateException::new));
        IllegalStateException pool = assertThrows(IllegalStateException.class, () ->
                InvocationConcurrency.poolSize(Map.of(POOL, "-1"), POOL, IllegalStateException::new));

        assertEquals("AWS_LAMBDA_MAX_CONCURRENCY must be a positive whole number, was '0'", concurrency.getMessage());
        assertEquals("MONGODB_MAX_POOL_SIZE must be a positive whole number, was '-1'", pool.getMessage());
    }
}
