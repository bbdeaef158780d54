package dev.dbproxy.lab.cost;

import dev.dbproxy.lab.result.Pricing;
import dev.dbproxy.lab.result.Summary;

/**
 * Estimates the AWS bill of a run. Functions on Lambda's default compute: a price per invocation plus a price per
 * GB-second of billed duration (duration rounded up to the millisecond, times configured memory; since August 2025
 * AWS also bills the INIT phase of on-demand functions, so cold-start init durations count as duration too).
 * Functions on Lambda Managed Instances: a price per invocation, the EC2 on-demand price of the instances and a
 * management fee on that price, no duration charge. The instances are the environments' vCPU time over the run
 * divided by the instance type's vCPUs (perfect packing): a lower bound, since AWS keeps at least three instances,
 * one per Availability Zone, whatever the load. API Gateway, data transfer and the database are not included.
 */
public final class LambdaCostModel {

    /** Lambda Managed Instances' request price and management fee, and an m7g.large's on-demand price. */
    public static final Pricing.ManagedInstancesPricing MANAGED_INSTANCES_US_EAST_1 =
            new Pricing.ManagedInstancesPricing(0.20, 0.15, "2026-12-07",
                    "https://aws.amazon.com/lambda/pricing/ (Lambda Managed Instances: \"$0.20 per million requests\","
                            + " \"15% premium on the EC2 on-demand instance price\")",
                    "m7g.large", 2, 8, 0.0816, "2026-06-17",
                    "https://www.factualminds.com/blog/amazon-ec2-on-demand-pricing-instance-families-2026/"
                            + " (quoting AWS's on-demand rate card, us-east-1, Linux)");

    /** AWS Lambda list prices, US East (N. Virginia), x86, first duration tier; managed instances as above. */
    public static final Pricing US_EAST_1_X86 = new Pricing(
            "us-east-1", "x86_64", 0.20, 0.0000166667, "2026-11-26",
            "https://aws.amazon.com/lambda/pricing/ (unchanged since 2020 for these two prices)",
            MANAGED_INSTANCES_US_EAST_1);

    private final Pricing pricing;

    public LambdaCostModel(Pricing pricing) {
        this.pricing = pricing;
    }

    /**
     * The cost of a run whose functions all ran on Lambda's default compute.
     *
     * @param invocations  invocations of every function (business and proxy)
     * @param gbSeconds    billed duration in GB-seconds of every function, init included
     * @param httpRequests HTTP requests the run served, to scale the bill to one million of them
     */
    public Summary.Cost cost(long invocations, double gbSeconds, long httpRequests) {
        return cost(invocations, gbSeconds, 0, 0, httpRequests);
    }

    /**
     * The cost of a run.
     *
     * @param lambdaInvocations  invocations of the functions on Lambda's default compute
     * @param gbSeconds          their billed duration in GB-seconds, init included
     * @param managedInvocations invocations of the functions on managed instances
     * @param vCpuSeconds        the managed-instances environments' vCPUs × their lifetimes, all functions
     * @param httpRequests       HTTP requests the run served, to scale the bill to one million of them
     */
    public Summary.Cost cost(long lambdaInvocations, double gbSeconds, long managedInvocations, double vCpuSeconds,
            long httpRequests) {
        Pricing.ManagedInstancesPricing managed = pricing.managedInstances();
        double requestsUsd = lambdaInvocations / 1_000_000.0 * pricing.usdPerMillionRequests()
                + managedInvocations / 1_000_000.0 * managed.usdPerMillionRequests();
        double computeUsd = gbSeconds * pricing.usdPerGbSecond();
        double instanceSeconds = vCpuSeconds / managed.instanceVCpus();
        double instancesUsd = instanceSeconds / 3600.0 * managed.usdPerInstanceHour();
        double managementFeeUsd = instancesUsd * managed.managementFeeShare();
        double total = requestsUsd + computeUsd + instancesUsd + managementFeeUsd;
        double perMillion = httpRequests == 0 ? 0 : total / httpRequests * 1_000_000.0;
        return new Summary.Cost(gbSeconds, requestsUsd, computeUsd, instanceSeconds, instancesUsd, managementFeeUsd,
                perMillion);
    }

    /** GB-seconds of {@code billedMillis} of duration at {@code memoryMb} of configured memory. */
    public static double gbSeconds(double billedMillis, int memoryMb) {
        return billedMillis / 1000.0 * memoryMb / 1024.0;
    }

    public Pricing pricing() {
        return pricing;
    }
}
