package dev.dbproxy.lambda.environment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dbproxy.lambda.environment.snapstart.LambdaRuntimeCheckpoint;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A client closed before a snapshot and built again on the next call, never closed under a call in flight. */
class ReopenableClientTest {

    /** A stand-in for a client with connections: knows whether it was closed. */
    private static final class FakeConnection {
        final int number;
        volatile boolean closed;

        FakeConnection(int number) {
            this.number = number;
        }
    }

    private final AtomicInteger built = new AtomicInteger();

    private ReopenableClient<FakeConnection> client() {
        return ReopenableClient.open(SnapStartHooksTest.SNAP_START, "test", () -> new FakeConnection(built.incrementAndGet()),
                connection -> connection.closed = true);
    }

    @Test
    void theRuntimesCheckpoint_closesTheClient_andTheNextLeaseBuildsANewOne() throws Exception {
        try (ReopenableClient<FakeConnection> client = client()) {
            FakeConnection first;
            try (ReopenableClient.Lease<FakeConnection> lease = client.lease()) {
                first = lease.client();
            }

            LambdaRuntimeCheckpoint.checkpoint();
            assertTrue(first.closed, "no connection is in the snapshot");
            assertFalse(client.isOpen());
            LambdaRuntimeCheckpoint.restore();
            assertFalse(client.isOpen(), "a restored environment connects on first use, not in afterRestore");

            try (ReopenableClient.Lease<FakeConnection> lease = client.lease()) {
                assertEquals(2, lease.client().number);
                assertFalse(lease.client().closed);
            }
            assertEquals(2, client.openedCount());
        }
    }

    @Test
    void closeForCheckpoint_waitsForTheCallInFlight_andACallStartedMeanwhileGetsAnOpenClient() throws Exception {
        try (ReopenableClient<FakeConnection> client = client()) {
            ReopenableClient.Lease<FakeConnection> inFlight = client.lease();

            CompletableFuture<Void> checkpoint = CompletableFuture.runAsync(client::closeForCheckpoint);
            ReopenableClient.Lease<FakeConnection> racing = awaitNewGeneration(client);
            assertFalse(checkpoint.isDone(), "the checkpoint waits for the call in flight");
            assertFalse(inFlight.client().closed, "a call in flight keeps an open client");
            assertNotSame(inFlight.client(), racing.client());
            assertFalse(racing.client().closed);

            inFlight.close();
            checkpoint.get(10, TimeUnit.SECONDS);
            assertTrue(inFlight.client().closed);
            assertFalse(racing.client().closed, "the client built after the checkpoint began stays open");
            racing.close();
        }
    }

    /** A lease taken once the checkpoint has retired the first client (the checkpoint runs on another thread). */
    private static ReopenableClient.Lease<FakeConnection> awaitNewGeneration(ReopenableClient<FakeConnection> client)
            throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < until) {
            ReopenableClient.Lease<FakeConnection> lease = client.lease();
            if (lease.client().number == 2) {
                return lease;
            }
            lease.close();
            Thread.onSpinWait();
        }
        throw new AssertionError("the checkpoint never retired the first client");
    }

    @Test
    void close_closesAtOnce_andLaterLeasesFail() {
        ReopenableClient<FakeConnection> client = client();
        ReopenableClient.Lease<FakeConnection> lease = client.lease();

        client.close();
        client.close();

        assertTrue(lease.client().closed);
        assertThrows(IllegalStateException.class, client::lease);
        lease.close();
    }

    @Test
    void borrowed_isLentAsItIs_andNeverClosedHere() throws Exception {
        FakeConnection theirs = new FakeConnection(0);
        ReopenableClient<FakeConnection> client = ReopenableClient.borrowed(theirs);

        LambdaRuntimeCheckpoint.checkpoint();
        LambdaRuntimeCheckpoint.restore();
        try (ReopenableClient.Lease<FakeConnection> lease = client.lease()) {
            assertSame(theirs, lease.client());
        }
        client.close();

        assertFalse(theirs.closed);
    }

    @Test
    void open_whenBuildingFails_failsAndRegistersNothing() {
        int registered = SnapStartHooks.registeredCount();

        assertThrows(IllegalArgumentException.class, () -> ReopenableClient.open(SnapStartHooksTest.SNAP_START, "bad", () -> {
            throw new IllegalArgumentException("bad settings");
        }, ignored -> { }));

        assertEquals(registered, SnapStartHooks.registeredCount());
    }
}
