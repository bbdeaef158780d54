package dev.dbproxy.lab.run;

import dev.dbproxy.lab.load.LoadProfile;
import java.time.Duration;
import java.util.Optional;

/**
 * The script of one run: the load staircase, when to redeploy, and how long to watch the idle phase afterwards.
 *
 * @param profile        the staircase of virtual users
 * @param redeployAt     when to redeploy the business functions, from the start of the load; empty for never
 * @param idlePhase      how long to keep sampling after the load stops, while environments are reclaimed
 * @param sampleInterval how often to sample connections, environments and latency
 * @param leftoverWait   how long to wait, before the run, for connections of other clients (an earlier run's) to
 *                       close; what is still open then is left out of or subtracted from the run's figures
 */
public record RunPlan(LoadProfile profile, Optional<Duration> redeployAt, Duration idlePhase, Duration sampleInterval,
        Duration leftoverWait) {

    /**
     * Bounds the wait between runs: a graceful shutdown or a zombie's end closes connections within seconds, while
     * warm environments of a deployed API stay connected for minutes, and then waiting longer would not help.
     */
    public static final Duration DEFAULT_LEFTOVER_WAIT = Duration.ofSeconds(30);

    /** A plan that waits {@link #DEFAULT_LEFTOVER_WAIT} at most for leftovers. */
    public RunPlan(LoadProfile profile, Optional<Duration> redeployAt, Duration idlePhase, Duration sampleInterval) {
        this(profile, redeployAt, idlePhase, sampleInterval, DEFAULT_LEFTOVER_WAIT);
    }
}
