package dev.dbproxy.lab.result;

/**
 * AWS prices used for the cost estimate.
 *
 * @param region                 the region the prices are for
 * @param architecture           {@code x86_64}
 * @param usdPerMillionRequests  price of one million invocations
 * @param usdPerGbSecond         price of one GB-second of duration (first tier)
 * @param asOf                   the date the prices were taken from AWS's public price list
 * @param source                 where to check them
 * @param managedInstances       the prices of functions on Lambda Managed Instances
 */
public record Pricing(
        String region,
        String architecture,
        double usdPerMillionRequests,
        double usdPerGbSecond,
        String asOf,
        String source,
        ManagedInstancesPricing managedInstances) {

    /**
     * What AWS bills for a function on Lambda Managed Instances: requests, the capacity provider's EC2 instances at
     * their on-demand price, and a management fee on that price; no duration charge.
     *
     * @param usdPerMillionRequests price of one million invocations
     * @param managementFeeShare    the management fee as a share of the instances' on-demand price (0.15)
     * @param asOf                  when the request price and the fee were read
     * @param source                where to check them
     * @param instanceType          the EC2 instance type the estimate assumes
     * @param instanceVCpus         its vCPUs: instance-seconds = vCPU-seconds / this
     * @param instanceMemoryGiB     its memory
     * @param usdPerInstanceHour    its on-demand Linux price per hour in {@code region}
     * @param instancePriceAsOf     the date of that price
     * @param instancePriceSource   where it was taken from
     */
    public record ManagedInstancesPricing(
            double usdPerMillionRequests,
            double managementFeeShare,
            String asOf,
            String source,
            String instanceType,
            int instanceVCpus,
            double instanceMemoryGiB,
            double usdPerInstanceHour,
            String instancePriceAsOf,
            String instancePriceSource) {
    }
}
