package dev.dbproxy.lab.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.dbproxy.lab.result.Sample;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StrategyRunnerProgressTest {

    private static final Map<String, Sample.EnvironmentCounts> ENVIRONMENTS = Map.of(
            "get", new Sample.EnvironmentCounts(3, 1, 0), "proxy", new Sample.EnvironmentCounts(2, 0, 1));

    @Test
    void progressLine_printsTheIntervalsLatencies() {
        String line = StrategyRunner.progressLine("[direct/freeze]", 12.34, 20,
                new Sample(12.3, 20, 7, 5, Map.of("get", 5L, "notes-lab-gauge", 2L), 9, 150.5, 3.456, 120.0,
                        ENVIRONMENTS));

        assertEquals("[direct/freeze] t= 12.3s users= 20 req/s=  150.5 p50=   3.46ms p99=  120.00ms connections="
                + "   5 (all clients    7) environments=   5 zombies=   1", line);
    }

    @Test
    void progressLine_printsADash_forAnIntervalWithoutRequests() {
        String line = StrategyRunner.progressLine("[direct/freeze]", 1, 0,
                new Sample(1, 0, 2, 0, Map.of(), 2, 0, Double.NaN, Double.NaN, Map.of()));

        assertFalse(line.contains("NaN"), line);
        assertEquals("[direct/freeze] t=  1.0s users=  0 req/s=    0.0 p50=        - p99=         - connections="
                + "   0 (all clients    2) environments=   0 zombies=   0", line);
    }
}
