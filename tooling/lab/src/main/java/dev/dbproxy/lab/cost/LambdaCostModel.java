package dev.dbproxy.lab.cost;

import dev.dbproxy.lab.result.Pricing;
import dev.dbproxy.lab.result.Summary;

/**
 * Estimates the AWS Lambda bill of a run: a price per invocation plus a price per GB-second of billed duration
 * (duration rounded up to the millisecond, times configured memory). Since August 2025 AWS also bills the INIT phase
 * of on-demand functions, so cold-start init durations count as duration too. API Gateway, data transfer and the
 * database are not included.
 */
public final class LambdaCostModel {

    /** AWS Lambda list prices, US East (N. Virginia), x86, first duration tier. */
    public static final Pricing US_EAST_1_X86 = new Pricing(
            "us-east-1", "x86_64", 0.20, 0.0000166667, "2026-11-26",
            "https://aws.amazon.com/lambda/pricing/ (unchanged since 2020 for these two prices)");

    private final Pricing pricing;

    public LambdaCostModel(Pricing pricing) {
        this.pricing = pricing;
    }

    /**
     * The cost of a run.
     *
     * @param invocations  invocations of every function (business and proxy)
     * @param gbSeconds    billed duration in GB-seconds of every function, init included
     * @param httpRequests HTTP requests the run served, to scale the bill to one million of them
     */
    public Summary.Cost cost(long invocations, double gbSeconds, long httpRequests) {
        double requestsUsd = invocations / 1_000_000.0 * pricing.usdPerMillionRequests();
        double computeUsd = gbSeconds * pricing.usdPerGbSecond();
        double perMillion = httpRequests == 0 ? 0 : (requestsUsd + computeUsd) / httpRequests * 1_000_000.0;
        return new Summary.Cost(gbSeconds, requestsUsd, computeUsd, perMillion);
    }

    /** GB-seconds of {@code billedMillis} of duration at {@code memoryMb} of configured memory. */
    public static double gbSeconds(double billedMillis, int memoryMb) {
        return billedMillis / 1000.0 * memoryMb / 1024.0;
    }

    public Pricing pricing() {
        return pricing;
    }
}
