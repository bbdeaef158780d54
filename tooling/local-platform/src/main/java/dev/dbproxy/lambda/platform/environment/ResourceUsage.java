package dev.dbproxy.lambda.platform.environment;

import java.time.Duration;
import java.util.Objects;

/**
 * What an environment uses of the machine now, as the operating system counts it; only process environments can tell
 * (in-process ones share one JVM and report {@link #NONE}).
 *
 * @param residentBytes     resident set size now
 * @param peakResidentBytes the highest resident set size so far (what Lambda reports as "Max Memory Used")
 * @param cpuTime           CPU time used so far, user and system
 */
public record ResourceUsage(long residentBytes, long peakResidentBytes, Duration cpuTime) {

    /** Nothing measured. */
    public static final ResourceUsage NONE = new ResourceUsage(0, 0, Duration.ZERO);

    /** Checks the values. */
    public ResourceUsage {
        Objects.requireNonNull(cpuTime, "cpuTime");
        if (residentBytes < 0 || peakResidentBytes < 0) {
            throw new IllegalArgumentException("memory sizes cannot be negative");
        }
    }

    /** Both added up. */
    public ResourceUsage plus(ResourceUsage other) {
        return new ResourceUsage(residentBytes + other.residentBytes, peakResidentBytes + other.peakResidentBytes,
                cpuTime.plus(other.cpuTime));
    }
}
