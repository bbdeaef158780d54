package dev.dbproxy.lab.staircase;

import dev.dbproxy.lab.measure.DatabaseConnections;
import dev.dbproxy.lambda.platform.EnvironmentCounts;
import dev.dbproxy.lambda.platform.LocalLambdaPlatform;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The database's connections ({@code serverStatus} and, where the server answers {@code $currentOp}, per client
 * {@code appName}, through {@link DatabaseConnections#read()}) and the functions' execution environments, read at a
 * fixed interval while the load runs. The total counts every client: the direct-strategy functions, the DB proxy and
 * the gauge itself; the DB proxy's own connections are those under its {@code appName}.
 */
final class ConnectionTimeline implements AutoCloseable {

    /** The template's DB proxy function, the only proxy-strategy function that connects to the database. */
    static final String DB_PROXY_FUNCTION = "DbProxyFunction";
    private static final String DIRECT_FUNCTIONS = "Direct";

    /**
     * One reading.
     *
     * @param epochMillis               when, in milliseconds since the epoch (as JMeter's results time samples)
     * @param connections               {@code serverStatus.connections.current}, all clients
     * @param created                   {@code serverStatus.connections.totalCreated}
     * @param attributed                whether the server said which client holds each connection
     * @param dbProxyConnections        connections under the DB proxy's {@code appName}; 0 when not attributed
     * @param dbProxyEnvironments       live and zombie environments of the DB proxy
     * @param directEnvironments        live and zombie environments of the direct-strategy functions
     * @param proxyStrategyEnvironments live environments of the proxy-strategy business functions (no database
     *                                  connection of their own)
     */
    record Reading(long epochMillis, long connections, long created, boolean attributed, long dbProxyConnections,
            int dbProxyEnvironments, int directEnvironments,
            int proxyStrategyEnvironments) {
    }

    private final DatabaseConnections gauge;
    private final LocalLambdaPlatform platform;
    private final String dbProxyAppName;
    private final List<Reading> readings = new ArrayList<>();
    private final AtomicLong failedReadings = new AtomicLong();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "connection-timeline");
        thread.setDaemon(true);
        return thread;
    });

    private ConnectionTimeline(DatabaseConnections gauge, LocalLambdaPlatform platform, String dbProxyAppName) {
        this.gauge = gauge;
        this.platform = platform;
        this.dbProxyAppName = dbProxyAppName;
    }

    /**
     * Starts reading every {@code interval}, the first reading at once.
     *
     * @param dbProxyAppName the {@code appName} the DB proxy's MongoDB client sends
     */
    static ConnectionTimeline start(DatabaseConnections gauge, LocalLambdaPlatform platform, Duration interval,
            String dbProxyAppName) {
        ConnectionTimeline timeline = new ConnectionTimeline(gauge, platform, dbProxyAppName);
        timeline.scheduler.scheduleAtFixedRate(timeline::read, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        return timeline;
    }

    private void read() {
        DatabaseConnections.Reading database;
        try {
            database = gauge.read();
        } catch (RuntimeException e) {
            failedReadings.incrementAndGet();
            return;
        }
        int dbProxy = 0;
        int direct = 0;
        int proxyStrategy = 0;
        for (String function : platform.functionNames()) {
            EnvironmentCounts counts = platform.environmentCounts(function);
            if (function.equals(DB_PROXY_FUNCTION)) {
                dbProxy += counts.live() + counts.zombie();
            } else if (function.startsWith(DIRECT_FUNCTIONS)) {
                direct += counts.live() + counts.zombie();
            } else {
                proxyStrategy += counts.live();
            }
        }
        Reading reading = new Reading(System.currentTimeMillis(), database.current(), database.totalCreated(),
                database.attributed(), database.byAppName().getOrDefault(dbProxyAppName, 0L), dbProxy, direct,
                proxyStrategy);
        synchronized (readings) {
            readings.add(reading);
        }
    }

    /** The readings so far, oldest first. */
    List<Reading> readings() {
        synchronized (readings) {
            return List.copyOf(readings);
        }
    }

    /** The reading with the most database connections (the first of equals); empty without readings. */
    Optional<Reading> peak() {
        return readings().stream().max(Comparator.comparingLong(Reading::connections)
                .thenComparing(Comparator.comparingLong(Reading::epochMillis).reversed()));
    }

    /** The most connections under the DB proxy's {@code appName} any reading saw. */
    long peakDbProxyConnections() {
        return readings().stream().mapToLong(Reading::dbProxyConnections).max().orElse(0);
    }

    /** Whether every reading said which client holds each connection. */
    boolean attributed() {
        List<Reading> all = readings();
        return !all.isEmpty() && all.stream().allMatch(Reading::attributed);
    }

    /** The most DB proxy environments any reading saw. */
    int peakDbProxyEnvironments() {
        return readings().stream().mapToInt(Reading::dbProxyEnvironments).max().orElse(0);
    }

    /** Readings that failed because the database did not answer within the gauge's timeout. */
    long failedReadings() {
        return failedReadings.get();
    }

    /** Stops reading; the readings stay available. */
    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
