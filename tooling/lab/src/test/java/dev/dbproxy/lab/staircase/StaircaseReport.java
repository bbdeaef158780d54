package dev.dbproxy.lab.staircase;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.dbproxy.lab.staircase.ConnectionTimeline.Reading;
import dev.dbproxy.lab.staircase.JtlSummary.PrefixFigures;
import dev.dbproxy.lab.staircase.JtlSummary.StepFigures;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What one {@code serve-staircase} run measured, as {@code summary.json} and as the table it prints: JMeter's
 * requests per prefix and per step, the database's connections next to the DB proxy's cap, and what the local
 * platform counted for each function (throttles, timeouts).
 *
 * @param startedAt     when the run started, ISO-8601 UTC
 * @param stepSeconds   seconds per step
 * @param stepUsers     users per prefix in each step
 * @param environments  how serve ran the functions' environments ({@code in-process} or {@code process})
 * @param seedRequests  the plan's setUp requests (notes created before the staircase)
 * @param seedCreated   of them, answered 201
 * @param prefixes      JMeter's figures per prefix
 * @param proxyCap      the DB proxy's connection cap
 * @param database      the database's connections while the load ran
 * @param functions     per function, what the local platform counted
 * @param timeline      every reading of the database's connections and the environments
 */
record StaircaseReport(String startedAt, int stepSeconds, int[] stepUsers, String environments, long seedRequests,
        long seedCreated, List<PrefixFigures> prefixes, ProxyCap proxyCap, DatabaseFigures database,
        Map<String, FunctionFigures> functions, List<Reading> timeline) {

    /**
     * The most connections the DB proxy can hold, and the gauge with it.
     *
     * @param connections the cap: reserved concurrency × (pooled connections + one monitoring connection per
     *                    environment) + the gauge's own
     */
    record ProxyCap(int reservedConcurrency, int poolSize, int monitorConnections, int gaugeConnections,
            int connections) {

        static ProxyCap of(int reservedConcurrency, int poolSize, int monitorConnections, int gaugeConnections) {
            return new ProxyCap(reservedConcurrency, poolSize, monitorConnections, gaugeConnections,
                    reservedConcurrency * (poolSize + monitorConnections) + gaugeConnections);
        }

        /** The most the DB proxy and the gauge hold with {@code environments} DB proxy environments. */
        int atMost(int environments) {
            return environments * (poolSize + monitorConnections) + gaugeConnections;
        }
    }

    /**
     * The database's connections, all clients together ({@code serverStatus} counts no client apart).
     *
     * @param peakConnections           the most connections any reading saw: both prefixes' functions and the gauge
     * @param peakAtSeconds             when, in seconds since the staircase's first request (negative: before it)
     * @param directEnvironmentsAtPeak  direct-strategy environments at that reading
     * @param dbProxyEnvironmentsAtPeak DB proxy environments at that reading
     * @param peakDbProxyEnvironments   the most DB proxy environments any reading saw
     * @param dbProxyConnectionsAtMost  what those environments and the gauge can hold ({@link ProxyCap#atMost(int)})
     * @param attributed                whether every reading said which client holds each connection
     * @param peakDbProxyConnections    the most connections under the DB proxy's {@code appName} (measured; 0 when
     *                                  not attributed)
     * @param withinCap                 whether the DB proxy's peak and the gauge's connections are at or under the
     *                                  cap: measured when attributed, else what its environments can hold
     * @param connectionsCreated        connections the database accepted since it started
     * @param steps                     the peaks of the readings taken during each step
     * @param readings                  readings taken
     * @param failedReadings            readings the database did not answer in time
     */
    record DatabaseFigures(long peakConnections, double peakAtSeconds, int directEnvironmentsAtPeak,
            int dbProxyEnvironmentsAtPeak, int peakDbProxyEnvironments, int dbProxyConnectionsAtMost,
            boolean attributed, long peakDbProxyConnections, boolean withinCap, long connectionsCreated, List<StepConnections> steps, int readings,
            long failedReadings) {
    }

    /**
     * The most database connections, of them the DB proxy's (0 when not attributed), and DB proxy environments the
     * readings of one step saw (0 without any).
     */
    record StepConnections(int step, long peakConnections, long peakDbProxyConnections, int peakDbProxyEnvironments) {
    }

    /**
     * One function's invocations as the local platform counted them.
     *
     * @param invocations     invocations that got an environment
     * @param throttles       invocations refused by the concurrency limits (for the DB proxy: calls the proxy client
     *                        retried or gave up on)
     * @param timeouts        invocations that ran past the function's timeout
     * @param errors          invocations that ended in a function error, timeouts included
     * @param coldStarts      environments created
     * @param peakEnvironments the most live environments at once
     * @param p50Millis       median handler duration
     * @param p99Millis       99th percentile handler duration
     */
    record FunctionFigures(long invocations, long throttles, long timeouts, long errors, long coldStarts,
            int peakEnvironments, double p50Millis, double p99Millis) {
    }

    /** Writes the report as indented JSON. */
    void writeJson(Path file) {
        try {
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), this);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** Prints the tables: per prefix, per step, the database's connections and the functions' counts. */
    void print(PrintStream out) {
        out.println();
        out.printf("%-8s %9s %9s %7s %7s %7s %7s %7s %7s%n", "prefix", "requests", "200", "429", "503", "other",
                "p50_ms", "p99_ms", "max_ms");
        for (PrefixFigures prefix : prefixes) {
            JtlSummary.Figures total = prefix.total();
            out.printf(Locale.ROOT, "%-8s %,9d %,9d %,7d %,7d %,7d %7d %7d %7d%n", "/" + prefix.prefix(),
                    total.requests(), total.ok(), total.throttled(), total.unavailable(), total.other(),
                    total.p50Millis(), total.p99Millis(), total.maxMillis());
        }
        out.println();
        out.printf("%-14s", "step (users)");
        for (PrefixFigures prefix : prefixes) {
            out.printf(" | %-8s %9s %5s %5s %5s %6s %6s", "/" + prefix.prefix(), "requests", "429", "503", "other",
                    "p50_ms", "p99_ms");
        }
        out.printf(" | %10s %11s %10s%n", "peak_conns", "proxy_conns", "proxy_envs");
        for (int step = 0; step < stepUsers.length; step++) {
            out.printf("%-14s", (step + 1) + " (" + stepUsers[step] + ")");
            for (PrefixFigures prefix : prefixes) {
                StepFigures figures = prefix.steps().get(step);
                JtlSummary.Figures f = figures.figures();
                out.printf(Locale.ROOT, " | %-8s %,9d %,5d %,5d %,5d %6d %6d", "", f.requests(), f.throttled(),
                        f.unavailable(), f.other(), f.p50Millis(), f.p99Millis());
            }
            StepConnections connections = database.steps().get(step);
            out.printf(" | %10d %11s %10d%n", connections.peakConnections(),
                    database.attributed() ? Long.toString(connections.peakDbProxyConnections()) : "-",
                    connections.peakDbProxyEnvironments());
        }
        out.println();
        out.printf(Locale.ROOT, "database connections, all clients (both prefixes' functions and the gauge's %d):"
                        + " peak %d at %.1f s, with %d direct-strategy and %d DB proxy environments%n",
                proxyCap.gaugeConnections(), database.peakConnections(), database.peakAtSeconds(),
                database.directEnvironmentsAtPeak(), database.dbProxyEnvironmentsAtPeak());
        if (database.attributed()) {
            out.printf(Locale.ROOT, "DB proxy: peak %d connections of its own (by appName) + %d (gauge) = %d; cap %d x"
                            + " (pool %d + monitor %d) + %d = %d: %s%n",
                    database.peakDbProxyConnections(), proxyCap.gaugeConnections(),
                    database.peakDbProxyConnections() + proxyCap.gaugeConnections(), proxyCap.reservedConcurrency(),
                    proxyCap.poolSize(), proxyCap.monitorConnections(), proxyCap.gaugeConnections(),
                    proxyCap.connections(), database.withinCap() ? "within the cap" : "OVER THE CAP");
        }
        out.printf(Locale.ROOT, "DB proxy environments: peak %d (reserved concurrency %d), which hold at most %d x %d + %d"
                        + " = %d connections%s%n",
                database.peakDbProxyEnvironments(), proxyCap.reservedConcurrency(), database.peakDbProxyEnvironments(),
                proxyCap.poolSize() + proxyCap.monitorConnections(), proxyCap.gaugeConnections(),
                database.dbProxyConnectionsAtMost(), database.attributed() ? ""
                        : "; the server attributes no connection, so this bound is the check: "
                        + (database.withinCap() ? "within the cap" : "OVER THE CAP"));
        out.println();
        out.printf("%-28s %11s %9s %8s %6s %6s %8s %8s%n", "function", "invocations", "throttles", "timeouts",
                "errors", "envs", "p50_ms", "p99_ms");
        functions.forEach((name, f) -> out.printf(Locale.ROOT, "%-28s %,11d %,9d %,8d %,6d %6d %8.1f %8.1f%n", name,
                f.invocations(), f.throttles(), f.timeouts(), f.errors(), f.peakEnvironments(), f.p50Millis(),
                f.p99Millis()));
    }
}
