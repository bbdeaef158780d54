package dev.dbproxy.lambda.platform;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dbproxy.lambda.platform.InvocationResult.Completed;
import dev.dbproxy.lambda.platform.environment.InProcessEnvironmentFactory;
import dev.dbproxy.lambda.platform.handlers.LibraryProbeHandler;
import dev.dbproxy.lambda.platform.handlers.library.CountingResource;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** In-process environments that share library classes (and only those) through {@link InProcessEnvironmentFactory}. */
class SharedLibrariesIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LIBRARY = CountingResource.class.getPackageName() + ".";
    private LocalLambdaPlatform platform;

    @AfterEach
    void stopPlatform() {
        if (platform != null) {
            platform.close();
        }
    }

    @Test
    void sharingLibraries_concurrentEnvironmentsShareTheLibraryClassesButNotTheFunctionsOwn() throws Exception {
        start(InProcessEnvironmentFactory.sharingLibraries(List.of(LIBRARY)));
        deploy("probe", "hi", ReclaimMode.ABANDON);

        List<JsonNode> outputs = invokeConcurrently("probe", 2);

        assertEquals(2, platform.metrics("probe").coldStarts());
        assertEquals(outputs.get(0).get("libraryClass"), outputs.get(1).get("libraryClass"));
        assertNotEquals(outputs.get(0).get("handlerClass"), outputs.get(1).get("handlerClass"));
    }

    @Test
    void withoutSharing_everyEnvironmentLoadsItsOwnCopyOfTheLibraries() throws Exception {
        start(InProcessEnvironmentFactory.create());
        deploy("probe", "hi", ReclaimMode.ABANDON);

        List<JsonNode> outputs = invokeConcurrently("probe", 2);

        assertNotEquals(outputs.get(0).get("libraryClass"), outputs.get(1).get("libraryClass"));
    }

    @Test
    void sharingLibraries_eachFunctionStillReadsItsOwnVariables() throws Exception {
        start(InProcessEnvironmentFactory.sharingLibraries(List.of(LIBRARY)));
        deploy("english", "hi", ReclaimMode.ABANDON);
        deploy("french", "salut", ReclaimMode.ABANDON);

        assertEquals("hi", invokeConcurrently("english", 1).get(0).get("greeting").asText());
        assertEquals("salut", invokeConcurrently("french", 1).get(0).get("greeting").asText());
    }

    @Test
    void sharingLibraries_gracefulReclaimClosesTheLibraryObjectsTheFunctionHolds() throws Exception {
        start(InProcessEnvironmentFactory.sharingLibraries(List.of(LIBRARY)));
        deploy("probe", "hi", ReclaimMode.GRACEFUL);
        invokeConcurrently("probe", 1);
        int closedBefore = CountingResource.closed();

        assertEquals(1, platform.reclaimIdle(Duration.ZERO));

        await("the library object closed").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                .until(() -> CountingResource.closed() != closedBefore);
        assertEquals(closedBefore + 1, CountingResource.closed());
    }

    @Test
    void sharingLibraries_refusesPrefixesThatWouldShareTheFunctionEnvironment() {
        assertThrows(IllegalArgumentException.class, () -> InProcessEnvironmentFactory.sharingLibraries(List.of("dev.")));
        assertThrows(IllegalArgumentException.class,
                () -> InProcessEnvironmentFactory.sharingLibraries(List.of("dev.dbproxy.lambda.environment.")));
        assertThrows(IllegalArgumentException.class, () -> InProcessEnvironmentFactory.sharingLibraries(List.of("io.netty")));
    }

    private void start(InProcessEnvironmentFactory factory) {
        platform = LocalLambdaPlatform.start(PlatformSettings.defaults(), factory);
    }

    private void deploy(String name, String greeting, ReclaimMode mode) {
        platform.deploy(FunctionDefinition.builder(name, LibraryProbeHandler.class.getName())
                .timeout(Duration.ofSeconds(5))
                .environmentVariable("GREETING", greeting)
                .reclaimMode(mode)
                .build());
    }

    /** Invokes {@code count} times at once, each sleeping long enough that every one gets its own environment. */
    private List<JsonNode> invokeConcurrently(String function, int count) throws Exception {
        List<CompletableFuture<InvocationResult>> running = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            running.add(platform.invoke(function, "{\"sleepMillis\":300}".getBytes(StandardCharsets.UTF_8)));
        }
        List<JsonNode> outputs = new ArrayList<>();
        for (CompletableFuture<InvocationResult> invocation : running) {
            outputs.add(JSON.readTree(assertInstanceOf(Completed.class, invocation.get(10, TimeUnit.SECONDS)).payload()));
        }
        return outputs;
    }
}
