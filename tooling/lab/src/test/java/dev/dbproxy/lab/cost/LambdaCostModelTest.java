package dev.dbproxy.lab.cost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dbproxy.lab.result.Pricing;
import dev.dbproxy.lab.result.Summary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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

    /**
     * Managed instances: $0.20 per million requests, m7g.large at $0.0816 per hour for every 2 vCPU-hours, 15% of
     * that as the management fee, and no duration charge.
     */
    @ParameterizedTest(name = "{0} managed invocations, {1} vCPU-s, {2} requests")
    @CsvSource({
        // invocations, vCPU-seconds, HTTP requests, requests USD, instance-seconds, instances USD, fee USD, per million
        "1000000, 0,     1000000, 0.20,      0,    0,         0,          0.20",
        "0,       7200,  1000,    0,         3600, 0.0816,    0.01224,    93.84",
        "2000,    72,    1000,    0.0004,    36,   0.000816,  0.0001224,  1.3384",
        "0,       0,     0,       0,         0,    0,         0,          0"
    })
    void cost_onManagedInstances_billsRequestsInstancesAndTheManagementFee_noDuration(long invocations,
            double vCpuSeconds, long requests, double requestsUsd, double instanceSeconds, double instancesUsd,
            double feeUsd, double perMillion) {
        Summary.Cost cost = model.cost(0, 0, invocations, vCpuSeconds, requests);

        assertEquals(requestsUsd, cost.requestsUsd(), 1e-12);
        assertEquals(0, cost.computeUsd());
        assertEquals(instanceSeconds, cost.instanceSeconds(), 1e-9);
        assertEquals(instancesUsd, cost.instancesUsd(), 1e-12);
        assertEquals(feeUsd, cost.managementFeeUsd(), 1e-12);
        assertEquals(perMillion, cost.usdPerMillionRequests(), 1e-9);
    }

    @Test
    void cost_ofBusinessFunctionsOnLambdaAndTheProxyOnManagedInstances_addsBothBills() {
        double gbSeconds = LambdaCostModel.gbSeconds(1000 * 100, 512);

        Summary.Cost both = model.cost(1000, gbSeconds, 1000, 72, 1000);

        assertEquals(model.cost(1000, gbSeconds, 1000).usdPerMillionRequests()
                + model.cost(0, 0, 1000, 72, 1000).usdPerMillionRequests(), both.usdPerMillionRequests(), 1e-9);
        assertEquals(gbSeconds, both.gbSeconds());
    }

    @Test
    void managedInstancesPrices_carryTheirDatesAndSources() {
        Pricing.ManagedInstancesPricing prices = LambdaCostModel.US_EAST_1_X86.managedInstances();

        assertEquals("m7g.large", prices.instanceType());
        assertEquals(2, prices.instanceVCpus());
        assertEquals(0.0816, prices.usdPerInstanceHour());
        assertEquals(0.15, prices.managementFeeShare());
        assertEquals("2026-06-17", prices.instancePriceAsOf());
        assertEquals("2026-12-07", prices.asOf());
        assertTrue(prices.source().startsWith("https://aws.amazon.com/lambda/pricing/"), prices.source());
        assertTrue(prices.instancePriceSource().startsWith("https://www.factualminds.com/"),
                prices.instancePriceSource());
    }
}
