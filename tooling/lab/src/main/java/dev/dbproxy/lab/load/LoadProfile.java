package dev.dbproxy.lab.load;

import dev.dbproxy.lab.result.LoadStep;
import java.util.List;

/**
 * A staircase of concurrent virtual users, the shape of the seed's JMeter test: 10, 20, 30, 60, then 80 users.
 *
 * @param name  how the profile was chosen
 * @param steps the steps, in order
 */
public record LoadProfile(String name, List<LoadStep> steps) {

    private static final int[] SEED_USERS = {10, 20, 30, 60, 80};

    public LoadProfile {
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("a load profile needs at least one step");
        }
        steps = List.copyOf(steps);
    }

    /** The seed's own timings: 60 s per step, the last one held for 26 minutes. */
    public static LoadProfile seed() {
        return staircase("seed", 60, 26 * 60);
    }

    /** The seed's shape, every step {@code stepSeconds} long. */
    public static LoadProfile staircase(String name, double stepSeconds, double lastStepSeconds) {
        LoadStep[] steps = new LoadStep[SEED_USERS.length];
        for (int i = 0; i < SEED_USERS.length; i++) {
            steps[i] = new LoadStep(SEED_USERS[i], i == SEED_USERS.length - 1 ? lastStepSeconds : stepSeconds);
        }
        return new LoadProfile(name, List.of(steps));
    }

    /**
     * The seed's shape at a tenth of its users (1, 2, 3, 6, 8), {@code stepSeconds} per step: what process
     * environments (a JVM each, dozens of them) can run on a 2-core machine.
     */
    public static LoadProfile small(double stepSeconds) {
        LoadStep[] steps = new LoadStep[SEED_USERS.length];
        for (int i = 0; i < SEED_USERS.length; i++) {
            steps[i] = new LoadStep(SEED_USERS[i] / 10, stepSeconds);
        }
        return new LoadProfile("small", List.of(steps));
    }

    /** A few seconds with a handful of users, for tests of the lab itself. */
    public static LoadProfile tiny() {
        return new LoadProfile("tiny", List.of(new LoadStep(2, 1.5), new LoadStep(4, 1.5)));
    }

    /** Total length of the load, in seconds. */
    public double durationSeconds() {
        return steps.stream().mapToDouble(LoadStep::durationSeconds).sum();
    }

    /** The most users of any step. */
    public int peakUsers() {
        return steps.stream().mapToInt(LoadStep::users).max().orElse(0);
    }
}
