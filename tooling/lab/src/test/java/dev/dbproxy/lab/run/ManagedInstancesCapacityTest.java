package dev.dbproxy.lab.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.dbproxy.lab.result.Configuration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The capacity provider a run deploys: each function on managed instances keeps its minimum of environments and has
 * room to reach the staircase's peak at half its slots (16 invocations per vCPU).
 */
class ManagedInstancesCapacityTest {

    @ParameterizedTest(name = "{0}, {1} functions, {2} users per pair, min {3}: {4} vCPUs")
    @CsvSource({
        // 2 functions × (3 + ceil(80 / 16) = 5)
        "DIRECT_MANAGED,       2, 80, 3, 16",
        // 4 functions × (3 + 5), the proxy (3 + ceil(160 / 16) = 10)
        "LAMBDA_PROXY_MANAGED, 4, 80, 3, 45",
        // the proxy alone: 1 + ceil(4 / 16)
        "PROXY_ON_MANAGED,     2, 4,  1, 2",
        // never below AWS's minimum of 2
        "PROXY_ON_MANAGED,     2, 0,  1, 2"
    })
    void managedInstancesVCpus_coverEveryFunctionsMinimumAndThePeak(String configuration, int functions,
            int users, int minEnvironments, int expected) throws Exception {
        Configuration chosen = (Configuration) Configuration.class.getField(configuration).get(null);

        assertEquals(expected, LocalPlatformTarget.managedInstancesVCpus(chosen, functions, users, minEnvironments));
    }
}
