package dev.dbproxy.lab.bench;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dbproxy.lab.measure.DatabaseConnections;
import dev.dbproxy.lab.serve.LocalNotesStack;
import dev.dbproxy.lambda.platform.FunctionDefinition;
import dev.dbproxy.lambda.platform.InvocationResult;
import dev.dbproxy.lambda.platform.LocalLambdaPlatform;
import dev.dbproxy.lambda.platform.PlatformSettings;
import dev.dbproxy.lambda.platform.process.ProcessEnvironmentFactory;
import dev.dbproxy.lambda.platform.template.SamTemplate;
import dev.dbproxy.localmongodb.EmbeddedMongoDb;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The DB proxy's deployment jar with the template's {@code SnapStart=PublishedVersions}, in a process environment
 * under the real runtime interface client: its snap-start init primes the request path against the database, its
 * checkpoint hook closes the MongoDB client, so the checkpointed environment holds no connection (the embedded
 * server's {@code $currentOp}, by {@code appName}); the first invocation restores it, reconnects (pool and monitor)
 * and answers. Needs the jar: {@code mvn package}.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class DbProxySnapStartProcessIT {

    private static final String FUNCTION = "DbProxyFunction";

    @Test
    void checkpointedDbProxy_holdsNoConnection_andReconnectsOnItsFirstCall() throws Exception {
        try (EmbeddedMongoDb db = EmbeddedMongoDb.start();
                ProcessEnvironmentFactory factory = ProcessEnvironmentFactory.create();
                DatabaseConnections connections = new DatabaseConnections(db.connectionString())) {
            LocalLambdaPlatform platform = LocalLambdaPlatform.start(PlatformSettings.defaults(), factory);
            try {
                SamTemplate template = SamTemplate.load(LocalNotesStack.findTemplate(),
                        Map.of("MongoDbUri", db.connectionString(), "SnapStart", "PublishedVersions"));
                FunctionDefinition proxy = template.function(FUNCTION).toBuilder()
                        .classPath(List.of(template.codeUri(FUNCTION))).build();
                assertTrue(proxy.snapStart(), "SnapStart=PublishedVersions turns SnapStart on");
                long createdBefore = connections.read().totalCreated();

                platform.deploy(proxy);
                platform.snapshotTaken(proxy.name()).get(30, TimeUnit.SECONDS);

                DatabaseConnections.Reading checkpointed = connections.read();
                assertTrue(checkpointed.totalCreated() - createdBefore >= 2,
                        "the snap-start init primed the request path against the database: " + checkpointed);
                await().atMost(Duration.ofSeconds(5)).until(() -> othersOpen(connections.read()) == 0);

                InvocationResult result = platform.invoke(proxy.name(), ProcessColdStartMain.countNotes())
                        .get(30, TimeUnit.SECONDS);

                InvocationResult.Completed completed = assertInstanceOf(InvocationResult.Completed.class, result,
                        result::toString);
                assertTrue(new String(completed.payload(), StandardCharsets.UTF_8).contains("\"ok\""));
                // the cold start prepared the next snapshot, whose init connects too: wait until it is checkpointed
                platform.snapshotTaken(proxy.name()).get(30, TimeUnit.SECONDS);
                await().atMost(Duration.ofSeconds(5)).until(() -> othersOpen(connections.read()) == 2);
                DatabaseConnections.Reading restored = connections.read();
                assertEquals(2, othersOpen(restored), "a restored DB proxy opens its pool's and its monitor's: " + restored);
                assertTrue(restored.totalCreated() - checkpointed.totalCreated() >= 2, "they are new connections");
                assertEquals(1, platform.metrics(proxy.name()).restoreDuration().count());
            } finally {
                platform.close();
            }
        }
    }

    private static long othersOpen(DatabaseConnections.Reading reading) {
        assertTrue(reading.attributed(), "the embedded server answers $currentOp");
        return reading.others().values().stream().mapToLong(Long::longValue).sum();
    }
}
