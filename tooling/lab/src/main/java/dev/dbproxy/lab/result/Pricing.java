package dev.dbproxy.lab.result;

/**
 * AWS Lambda prices used for the cost estimate.
 *
 * @param region                 the region the prices are for
 * @param architecture           {@code x86_64}
 * @param usdPerMillionRequests  price of one million invocations
 * @param usdPerGbSecond         price of one GB-second of duration (first tier)
 * @param asOf                   the date the prices were taken from AWS's public price list
 * @param source                 where to check them
 */
public record Pricing(
        String region,
        String architecture,
        double usdPerMillionRequests,
        double usdPerGbSecond,
        String asOf,
        String source) {
}
