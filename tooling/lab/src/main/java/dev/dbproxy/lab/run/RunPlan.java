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
 */
public record RunPlan(LoadProfile profile, Optional<Duration> redeployAt, Duration idlePhase, Duration sampleInterval) {
}
