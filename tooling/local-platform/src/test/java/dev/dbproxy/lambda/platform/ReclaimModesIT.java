package dev.dbproxy.lambda.platform;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dbproxy.lambda.platform.InvocationResult.Completed;
import dev.dbproxy.lambda.platform.handlers.MongoPingHandler;
import dev.dbproxy.lambda.platform.handlers.StaticMongoPingHandler;
import dev.dbproxy.localmongodb.EmbeddedMongoDb;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.LongPredicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the database sees when environments are reclaimed: an abandoned environment's connections stay open until its
 * zombie lifetime ends, a graceful one's close at once; a redeploy replaces every connection.
 */
class ReclaimModesIT {

    private static final Duration WAIT = Duration.ofSeconds(15);

    private EmbeddedMongoDb mongo;
    private LocalLambdaPlatform platform;
    private long baseline;

    @BeforeEach
    void start() {
        mongo = EmbeddedMongoDb.start();
        platform = LocalLambdaPlatform.start(PlatformSettings.builder().zombieLifetime(Duration.ofMinutes(10)).build());
        baseline = mongo.connectionStats().current();
    }

    @AfterEach
    void stop() {
        platform.close();
        mongo.close();
    }

    @Test
    void abandonedEnvironment_keepsItsConnectionsOpenUntilItsZombieLifetimeEnds() throws Exception {
        deploy("abandoned", MongoPingHandler.class, ReclaimMode.ABANDON);
        ping("abandoned");
        long open = awaitConnections(count -> count > baseline);

        platform.reclaimIdle();

        await("abandoned connections staying open").during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2))
                .until(() -> mongo.connectionStats().current() == open);
        assertEquals(1, platform.environmentCounts("abandoned").zombie());
        platform.changeZombieLifetime(Duration.ZERO);
        awaitConnections(count -> count == baseline);
        assertEquals(0, platform.environmentCounts("abandoned").zombie());
    }

    @Test
    void gracefulEnvironment_closesItsConnectionsWhenReclaimed() throws Exception {
        deploy("graceful", MongoPingHandler.class, ReclaimMode.GRACEFUL);
        ping("graceful");
        awaitConnections(count -> count > baseline);

        platform.reclaimIdle();

        awaitConnections(count -> count == baseline);
        assertEquals(new EnvironmentCounts(0, 0, 0), platform.environmentCounts("graceful"));
    }

    @Test
    void zombieTeardown_closesAClientHeldInAStaticFieldOfANonCloseableHandler() throws Exception {
        deploy("static", StaticMongoPingHandler.class, ReclaimMode.ABANDON);
        ping("static");
        awaitConnections(count -> count > baseline);
        platform.reclaimIdle();

        assertEquals(1, platform.tearDownZombies());

        awaitConnections(count -> count == baseline);
    }

    @Test
    void redeploy_opensNewConnectionsWhileTheAbandonedOnesStayOpen() throws Exception {
        deploy("redeployed", MongoPingHandler.class, ReclaimMode.ABANDON);
        ping("redeployed");
        long firstDeployment = awaitConnections(count -> count > baseline) - baseline;
        long createdBefore = mongo.connectionStats().totalCreated();

        platform.redeploy("redeployed");
        ping("redeployed");

        awaitConnections(count -> count >= baseline + 2 * firstDeployment);
        assertTrue(mongo.connectionStats().totalCreated() > createdBefore, "the new environment must open its own connections");
        assertEquals(new EnvironmentCounts(1, 0, 1), platform.environmentCounts("redeployed"));
    }

    private void deploy(String name, Class<?> handler, ReclaimMode mode) {
        platform.deploy(FunctionDefinition.builder(name, handler.getName())
                .timeout(Duration.ofSeconds(10))
                .environmentVariable("MONGODB_URI", mongo.connectionString())
                .reclaimMode(mode)
                .build());
    }

    private void ping(String function) throws Exception {
        InvocationResult result = platform.invoke(function, "{}".getBytes(StandardCharsets.UTF_8)).get(20, TimeUnit.SECONDS);
        assertEquals("\"pong\"", new String(assertInstanceOf(Completed.class, result).payload(), StandardCharsets.UTF_8));
    }

    private long awaitConnections(LongPredicate condition) {
        return await("connections (baseline " + baseline + ")").atMost(WAIT).pollInterval(Duration.ofMillis(25))
                .until(() -> mongo.connectionStats().current(), condition::test);
    }
}
