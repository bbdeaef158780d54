package dev.dbproxy.lambda.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dbproxy.lambda.environment.GracefulShutdownExtension;
import dev.dbproxy.lambda.platform.InvocationResult.Completed;
import dev.dbproxy.lambda.platform.handlers.IdlePruningMongoHandler;
import dev.dbproxy.lambda.platform.process.ProcessEnvironmentFactory;
import dev.dbproxy.localmongodb.EmbeddedMongoDb;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongPredicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What the database sees of process environments: a frozen environment's timers do not fire (its pool prunes no idle
 * connection, where an in-process environment's does); an abandoned one keeps its connections until its zombie
 * lifetime ends and it is killed; one with the graceful-shutdown extension gets SIGTERM and closes its client; a
 * redeploy reclaims the old processes by that same rule.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProcessReclaimIT {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private EmbeddedMongoDb mongo;
    private ProcessEnvironmentFactory factory;
    private LocalLambdaPlatform platform;
    private long baseline;

    @BeforeEach
    void start() {
        mongo = EmbeddedMongoDb.start();
        factory = ProcessEnvironmentFactory.create();
        platform = LocalLambdaPlatform.start(PlatformSettings.builder().zombieLifetime(Duration.ofMinutes(10)).build(), factory);
        baseline = mongo.connectionStats().current();
    }

    @AfterEach
    void stop() {
        platform.close();
        factory.close();
        mongo.close();
        assertEquals(0, factory.aliveProcesses());
    }

    private FunctionDefinition.Builder function(String name, boolean extension) {
        return FunctionDefinition.builder(name, IdlePruningMongoHandler.class.getName())
                .memoryMb(256)
                .timeout(Duration.ofSeconds(10))
                .environmentVariable("MONGODB_URI", mongo.connectionString())
                .environmentVariable(GracefulShutdownExtension.VARIABLE, Boolean.toString(extension))
                .classPath(List.of(ProcessTaskRoot.get()));
    }

    private void ping(LocalLambdaPlatform on, String name) throws Exception {
        InvocationResult result = on.invoke(name, "{}".getBytes(StandardCharsets.UTF_8)).get(30, TimeUnit.SECONDS);
        assertEquals("\"pong\"", new String(assertInstanceOf(Completed.class, result,
                () -> result instanceof InvocationResult.FunctionFailed failed
                        ? new String(failed.errorPayload(), StandardCharsets.UTF_8) : result.toString()).payload(),
                StandardCharsets.UTF_8));
    }

    private long awaitConnections(LongPredicate condition) throws InterruptedException {
        long until = System.nanoTime() + WAIT.toNanos();
        long current = mongo.connectionStats().current();
        while (!condition.test(current) && System.nanoTime() < until) {
            Thread.sleep(20);
            current = mongo.connectionStats().current();
        }
        assertTrue(condition.test(current), "connections now: " + current + " (baseline " + baseline + ")");
        return current;
    }

    private long onlyProcess() {
        List<ProcessHandle> children = ProcessHandle.current().descendants()
                .filter(handle -> handle.info().commandLine().orElse("").contains("AWSLambda")).toList();
        assertEquals(1, children.size(), "one environment process");
        return children.get(0).pid();
    }

    @Test
    void frozenEnvironment_doesNotPruneIdleConnectionsWhereAnInProcessOneDoes() throws Exception {
        try (LocalLambdaPlatform inProcess = LocalLambdaPlatform.start()) {
            inProcess.deploy(function("in-process", false).classPath(List.of()).build());
            ping(inProcess, "in-process");
            long withPool = awaitConnections(count -> count >= baseline + 2);
            awaitConnections(count -> count == withPool - 1);
        }
        awaitConnections(count -> count == baseline);

        platform.deploy(function("frozen", false).build());
        ping(platform, "frozen");
        long withPool = awaitConnections(count -> count >= baseline + 2);
        Thread.sleep(1_500);

        assertEquals(withPool, mongo.connectionStats().current(), "a frozen pool prunes nothing");
        assertEquals('T', ProcessLiveness.state(onlyProcess()));
    }

    @Test
    void abandonedProcess_keepsItsConnectionsUntilItsZombieLifetimeEndsThenIsKilled() throws Exception {
        platform.deploy(function("abandoned", false).reclaimMode(ReclaimMode.GRACEFUL).build());
        ping(platform, "abandoned");
        long open = awaitConnections(count -> count >= baseline + 2);
        long pid = onlyProcess();

        platform.reclaimIdle();
        Thread.sleep(700);

        assertEquals(open, mongo.connectionStats().current(), "without an extension the reclaim abandons, whatever the"
                + " function's reclaim mode says");
        assertEquals(1, platform.environmentCounts("abandoned").zombie());
        assertEquals('T', ProcessLiveness.state(pid), "a zombie stays frozen");
        platform.changeZombieLifetime(Duration.ZERO);
        awaitConnections(count -> count == baseline);
        assertFalse(ProcessLiveness.aliveAfterWaiting(pid));
        assertEquals(0, platform.environmentCounts("abandoned").zombie());
    }

    @Test
    void processWithTheShutdownExtension_getsSigtermAndClosesItsClientWhenReclaimed() throws Exception {
        platform.deploy(function("graceful", true).build());
        ping(platform, "graceful");
        awaitConnections(count -> count >= baseline + 2);
        long pid = onlyProcess();

        long reclaimed = System.nanoTime();
        platform.reclaimIdle();

        awaitConnections(count -> count == baseline);
        assertTrue(System.nanoTime() - reclaimed < TimeUnit.SECONDS.toNanos(3), "closed within the grace period");
        assertFalse(ProcessLiveness.aliveAfterWaiting(pid));
        assertEquals(new EnvironmentCounts(0, 0, 0), platform.environmentCounts("graceful"));
    }

    @Test
    void redeploy_reclaimsTheOldProcessByItsExtensionAndStartsANewOne() throws Exception {
        platform.deploy(function("redeployed", true).build());
        ping(platform, "redeployed");
        awaitConnections(count -> count >= baseline + 2);
        long old = onlyProcess();

        platform.redeploy("redeployed");
        assertFalse(ProcessLiveness.aliveAfterWaiting(old), "the old process shut down gracefully");
        awaitConnections(count -> count == baseline);
        ping(platform, "redeployed");

        assertNotEquals(old, onlyProcess());
        assertEquals(2, platform.metrics("redeployed").coldStarts());
    }
}
