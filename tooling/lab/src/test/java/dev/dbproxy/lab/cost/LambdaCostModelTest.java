package dev.dbproxy.lab.cost;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.dbproxy.lab.result.Summary;
import org.junit.jupiter.api.Test;

class LambdaCostModelTest {

    private final LambdaCostModel model = new LambdaCostModel(LambdaCostModel.US_EAST_1_X86);

    @Test
    void cost_addsRequestAndDurationCharges_andScalesToOneMillionRequests() {
        // 2 invocations per HTTP request (business + proxy), 1000 requests, 100 ms each at 512 MB.
        double gbSeconds = LambdaCostModel.gbSeconds(2000 * 100, 512);

        Summary.Cost cost = model.cost(2000, gbSeconds, 1000);

        assertEquals(100.0, gbSeconds, 1e-9);
        assertEquals(0.0004, cost.requestsUsd(), 1e-12);
        assertEquals(0.00166667, cost.computeUsd(), 1e-8);
        assertEquals((0.0004 + 0.00166667) * 1000, cost.usdPerMillionRequests(), 1e-5);
    }

    @Test
    void cost_ofARunWithoutRequests_isZeroPerMillion() {
        assertEquals(0.0, model.cost(0, 0, 0).usdPerMillionRequests());
    }
}
