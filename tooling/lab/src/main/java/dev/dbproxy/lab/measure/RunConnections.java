package dev.dbproxy.lab.measure;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Which of the connections a server lists belong to one run: those whose {@code appName} names one of the run's
 * functions. Every client of this project names itself after its function ({@code MONGODB_APP_NAME}, else
 * {@code AWS_LAMBDA_FUNCTION_NAME}), so an appName belongs to a function when it is the function's name, or a
 * CloudFormation physical name that embeds it ({@code <stack>-<Function>-<suffix>}, what a deployed SAM template
 * gets). Connections of other clients — this lab's gauge, an earlier run's environments, anybody else's — are never
 * the run's.
 *
 * <p>An earlier run can also leave connections under the names of this run's functions (the same configuration run
 * twice against one deployed API). {@link #settle} waits a bounded time for every leftover to close; those of the
 * run's own functions that are still open then are subtracted from its figures, per function, for the whole run.
 * Without attribution (the server refused {@code $currentOp}) the run's figure is the total minus the gauge's own
 * connections.
 */
public final class RunConnections {

    /** What was done about connections already open when the run started. */
    public enum Handling {
        /** None were open besides the gauge's. */
        NONE,
        /** Some were, and they closed within the wait. */
        GONE,
        /** Other clients' connections stayed open; they are not the run's, so its figures leave them out. */
        EXCLUDED,
        /** Connections under the run's own functions' names stayed open; its figures count only those beyond. */
        SUBTRACTED,
        /** The server did not say who holds its connections: the run's figures are totals minus the gauge's. */
        UNATTRIBUTED
    }

    private static final Duration POLL = Duration.ofMillis(250);

    private final List<String> functions;
    private final Map<String, Long> subtracted;
    private final Map<String, Long> leftovers;
    private final Handling handling;
    private final Duration waited;

    private RunConnections(List<String> functions, Map<String, Long> leftovers, Handling handling,
            Duration waited) {
        this.functions = List.copyOf(functions);
        this.leftovers = Map.copyOf(leftovers);
        this.handling = handling;
        this.waited = waited;
        Map<String, Long> own = new TreeMap<>();
        leftovers.forEach((appName, count) -> {
            String function = owner(appName, functions);
            if (function != null) {
                own.merge(function, count, Long::sum);
            }
        });
        this.subtracted = Map.copyOf(own);
    }

    /** The attribution of a run whose functions are {@code functions}, with nothing to subtract. */
    public static RunConnections of(List<String> functions) {
        return new RunConnections(functions, Map.of(), Handling.NONE, Duration.ZERO);
    }

    /**
     * Reads what other clients than the gauge hold before the run starts and, if anything, prints a note and waits
     * up to {@code maxWait} (polling every 250 ms) for it to close; whatever is still open then is left out of the
     * run's figures (other clients') or subtracted from them (the run's own functions').
     *
     * @throws IllegalStateException when the server cannot be reached
     */
    public static RunConnections settle(DatabaseConnections gauge, List<String> functions, Duration maxWait,
            Consumer<String> note) throws InterruptedException {
        return settle(gauge, functions, false, maxWait, note);
    }

    /**
     * The same; with {@code connectedAtDeploy}, connections under the run's own functions' names are the run's
     * (environments started at deployment, as managed instances' minimum, on a server no earlier run of these
     * functions left anything on): only other clients' are waited for and left out.
     *
     * @throws IllegalStateException when the server cannot be reached
     */
    public static RunConnections settle(DatabaseConnections gauge, List<String> functions, boolean connectedAtDeploy,
            Duration maxWait, Consumer<String> note) throws InterruptedException {
        DatabaseConnections.Reading reading = gauge.read();
        if (!reading.attributed()) {
            return new RunConnections(functions, Map.of(), Handling.UNATTRIBUTED, Duration.ZERO);
        }
        if (others(reading, functions, connectedAtDeploy).isEmpty()) {
            return of(functions);
        }
        note.accept("note: " + describe(others(reading, functions, connectedAtDeploy)) + " already open; waiting up to "
                + maxWait.toSeconds() + " s for them to close");
        long started = System.nanoTime();
        long deadline = started + maxWait.toNanos();
        while (!others(reading, functions, connectedAtDeploy).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(POLL.toMillis());
            reading = gauge.read();
        }
        Duration waited = Duration.ofNanos(System.nanoTime() - started);
        Map<String, Long> left = others(reading, functions, connectedAtDeploy);
        if (left.isEmpty()) {
            return new RunConnections(functions, left, Handling.GONE, waited);
        }
        boolean own = left.keySet().stream().anyMatch(appName -> owner(appName, functions) != null);
        note.accept("note: still open after " + waited.toSeconds() + " s: " + describe(left) + "; "
                + (own ? "those of this run's functions are subtracted from its figures, the others left out"
                        : "they are not this run's, its figures leave them out"));
        return new RunConnections(functions, left, own ? Handling.SUBTRACTED : Handling.EXCLUDED, waited);
    }

    private static Map<String, Long> others(DatabaseConnections.Reading reading, List<String> functions,
            boolean connectedAtDeploy) {
        if (!connectedAtDeploy) {
            return reading.others();
        }
        Map<String, Long> others = new TreeMap<>(reading.others());
        others.keySet().removeIf(appName -> owner(appName, functions) != null);
        return others;
    }

    /**
     * The function an appName belongs to, or {@code null} when it is none of {@code functions}: the function of that
     * name, else the function a CloudFormation physical name {@code <stack>-<Function>-<suffix>} embeds.
     */
    public static String owner(String appName, List<String> functions) {
        if (functions.contains(appName)) {
            return appName;
        }
        String owner = null;
        for (String function : functions) {
            if (appName.contains("-" + function + "-") && (owner == null || function.length() > owner.length())) {
                owner = function;
            }
        }
        return owner;
    }

    /**
     * The run's connections per function in a reading (only functions that hold some, sorted), leftovers
     * subtracted; empty when the reading is not attributed.
     */
    public Map<String, Long> perFunction(DatabaseConnections.Reading reading) {
        Map<String, Long> perFunction = new TreeMap<>();
        reading.byAppName().forEach((appName, count) -> {
            String function = owner(appName, functions);
            if (function != null) {
                perFunction.merge(function, count, Long::sum);
            }
        });
        subtracted.forEach((function, count) -> perFunction.computeIfPresent(function,
                (name, now) -> now > count ? now - count : null));
        return perFunction;
    }

    /** The run's connections in a reading: the sum over its functions, or the total minus the gauge's own. */
    public long own(DatabaseConnections.Reading reading) {
        if (!reading.attributed()) {
            return Math.max(0, reading.current() - DatabaseConnections.OWN_CONNECTIONS);
        }
        return perFunction(reading).values().stream().mapToLong(Long::longValue).sum();
    }

    /** What was done about connections open at the start. */
    public Handling handling() {
        return handling;
    }

    /** The connections per appName still open at the start after the wait; empty when none. */
    public Map<String, Long> leftovers() {
        return leftovers;
    }

    /** How long {@link #settle} waited. */
    public Duration waited() {
        return waited;
    }

    private static String describe(Map<String, Long> byAppName) {
        long total = byAppName.values().stream().mapToLong(Long::longValue).sum();
        return total + " connection" + (total == 1 ? "" : "s") + " of other clients " + byAppName;
    }
}
