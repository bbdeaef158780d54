package dev.dbproxy.notes.adapter.lambdaproxy;

import static dev.dbproxy.notes.testkit.NoteBuilder.aNote;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dbproxy.lambda.platform.FunctionDefinition;
import dev.dbproxy.notes.adapter.lambdaproxy.handlers.CrashingProxyHandler;
import dev.dbproxy.notes.adapter.lambdaproxy.handlers.SlowProxyHandler;
import dev.dbproxy.notes.core.error.TransientFailureException;
import dev.dbproxy.notes.core.error.TransientFailureException.Reason;
import dev.dbproxy.notes.core.port.CallerContext;
import dev.dbproxy.notes.core.port.NoteRepository;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * How the adapter reports an invocation that fails for a reason other than a throttle, through the real SDK and the
 * local platform: each failure is a transient error of the documented reason, and a write is never sent twice
 * (the operation may have run).
 */
class LambdaProxyInvokeFailuresIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void aProxyThatCrashes_isTransientUnavailable_andTheWriteIsNotRetried() {
        try (LocalProxyStack stack = new LocalProxyStack(10)) {
            Throwable error = createThrough(stack, FunctionDefinition.builder("crashing-proxy",
                    CrashingProxyHandler.class.getName()).build(), Map.of());

            assertEquals(Reason.UNAVAILABLE, assertInstanceOf(TransientFailureException.class, error).reason());
            assertEquals(1, stack.invocationsOnceIdle("crashing-proxy"));
            assertEquals(1, stack.platform.metrics("crashing-proxy").errors());
        }
    }

    @Test
    void aProxySlowerThanItsOwnTimeout_isTransientTimeout_andTheWriteIsNotRetried() {
        try (LocalProxyStack stack = new LocalProxyStack(10)) {
            Throwable error = createThrough(stack, slowProxy(Duration.ofSeconds(1), Duration.ofSeconds(3)), Map.of());

            assertEquals(Reason.TIMEOUT, assertInstanceOf(TransientFailureException.class, error).reason());
            assertEquals(1, stack.invocationsOnceIdle("slow-proxy"));
            assertEquals(1, stack.platform.metrics("slow-proxy").timeouts());
        }
    }

    @Test
    void aProxyStillRunningAtTheCallersDeadline_isTransientTimeout_then_notWhenItAnswers() {
        try (LocalProxyStack stack = new LocalProxyStack(10)) {
            stack.platform.deploy(slowProxy(Duration.ofSeconds(10), Duration.ofSeconds(3)));
            try (NoteRepository notes = stack.repository(Map.of("NOTES_PROXY_FUNCTION", "slow-proxy"))) {
                notes.warmUp().block(WAIT); // the client's first connection, which takes up to a second or two here
                CallerContext caller = new CallerContext("business-request", Instant.now().plusMillis(500));
                long started = System.nanoTime();
                Throwable error = failureOf(notes.create(aNote().build()).contextWrite(caller::into));
                Duration took = Duration.ofNanos(System.nanoTime() - started);

                assertEquals(Reason.TIMEOUT, assertInstanceOf(TransientFailureException.class, error).reason());
                assertTrue(took.compareTo(Duration.ofSeconds(2)) < 0, "took " + took + "; the proxy answers after 3 s");
            }
            assertEquals(1, stack.invocationsOnceIdle("slow-proxy"), "the write was not sent again");
        }
    }

    @Test
    void anInvocationLongerThanTheClientTimeout_isTransientTimeout_andTheWriteIsNotRetried() {
        try (LocalProxyStack stack = new LocalProxyStack(10)) {
            // The client's first call also builds its connection (up to a second or two here): leave room for it.
            Throwable error = createThrough(stack, slowProxy(Duration.ofSeconds(10), Duration.ofSeconds(6)),
                    Map.of("NOTES_PROXY_INVOKE_TIMEOUT_MS", "3000"));

            assertEquals(Reason.TIMEOUT, assertInstanceOf(TransientFailureException.class, error).reason());
            assertEquals(1, stack.invocationsOnceIdle("slow-proxy"));
            assertEquals(0, stack.platform.metrics("slow-proxy").timeouts());
        }
    }

    @Test
    void anUnreachableEndpoint_isTransientUnavailable() throws IOException {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = probe.getLocalPort();
        }
        try (LocalProxyStack stack = new LocalProxyStack(10);
                NoteRepository notes = stack.repository(Map.of(
                        "AWS_ENDPOINT_URL_LAMBDA", "http://127.0.0.1:" + closedPort))) {

            Throwable error = failureOf(notes.create(aNote().build()));

            assertEquals(Reason.UNAVAILABLE, assertInstanceOf(TransientFailureException.class, error).reason());
        }
    }

    @Test
    void anEndpointThatDropsTheConnection_isTransientUnavailable_andTheWriteIsSentOnce() throws IOException {
        AtomicInteger connections = new AtomicInteger();
        try (ServerSocket dropping = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
                LocalProxyStack stack = new LocalProxyStack(10);
                NoteRepository notes = stack.repository(Map.of(
                        "AWS_ENDPOINT_URL_LAMBDA", "http://127.0.0.1:" + dropping.getLocalPort()))) {
            Thread.ofPlatform().daemon().start(() -> dropEveryConnection(dropping, connections));

            Throwable error = failureOf(notes.create(aNote().build()));

            assertEquals(Reason.UNAVAILABLE, assertInstanceOf(TransientFailureException.class, error).reason());
            Mono.delay(Duration.ofMillis(500)).block();
            assertEquals(1, connections.get());
        }
    }

    /** Deploys {@code proxy} on the stack's platform and creates one note through it, returning the failure. */
    private static Throwable createThrough(LocalProxyStack stack, FunctionDefinition proxy, Map<String, String> env) {
        stack.platform.deploy(proxy);
        Map<String, String> settings = new HashMap<>(env);
        settings.put("NOTES_PROXY_FUNCTION", proxy.name());
        try (NoteRepository notes = stack.repository(settings)) {
            return failureOf(notes.create(aNote().build()));
        }
    }

    private static FunctionDefinition slowProxy(Duration timeout, Duration delay) {
        return FunctionDefinition.builder("slow-proxy", SlowProxyHandler.class.getName())
                .timeout(timeout)
                .environmentVariable(SlowProxyHandler.DELAY_MS, Long.toString(delay.toMillis()))
                .build();
    }

    /** Reads the start of each request, then closes the connection without answering. */
    private static void dropEveryConnection(ServerSocket server, AtomicInteger connections) {
        while (!server.isClosed()) {
            try (Socket connection = server.accept(); InputStream in = connection.getInputStream()) {
                connections.incrementAndGet();
                in.read(new byte[1024]);
            } catch (IOException closed) {
                return;
            }
        }
    }

    private static Throwable failureOf(Mono<?> operation) {
        return operation.then().materialize().block(WAIT).getThrowable();
    }
}
