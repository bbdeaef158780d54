package dev.dbproxy.reliability;

import static dev.dbproxy.notes.testkit.NoteBuilder.aNote;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dbproxy.localmongodb.EmbeddedMongoDb;
import dev.dbproxy.notes.adapter.direct.DirectNoteRepositoryProvider;
import dev.dbproxy.notes.core.domain.Note;
import dev.dbproxy.notes.core.domain.NoteId;
import dev.dbproxy.notes.core.error.TransientFailureException;
import dev.dbproxy.notes.core.error.TransientFailureException.Reason;
import dev.dbproxy.notes.core.port.CallerContext;
import dev.dbproxy.notes.core.port.NoteRepository;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/** The direct adapter behind a faulty network: every fault surfaces as a transient error, and nothing leaks. */
class DirectAdapterNetworkFaultsIT {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private EmbeddedMongoDb db;
    private FaultyTcpRelay relay;

    @BeforeEach
    void start() throws Exception {
        db = EmbeddedMongoDb.start();
        relay = FaultyTcpRelay.to(db.address());
    }

    @AfterEach
    void stop() {
        relay.close();
        db.close();
    }

    @Test
    void slowNetwork_beyondTheOperationTimeout_isATransientTimeout_andThenRecovers() {
        try (NoteRepository notes = repository()) {
            Note note = notes.create(aNote().build()).block(WAIT);
            relay.addLatency(Duration.ofMillis(1500));

            Throwable error = failureOf(notes.findById(note.id()));

            assertEquals(Reason.TIMEOUT, assertInstanceOf(TransientFailureException.class, error).reason());
            relay.heal();
            assertEquals(note, notes.findById(note.id()).retry(3).block(WAIT));
        }
    }

    @Test
    void slowNetwork_withinTheOperationTimeout_butPastTheCallersDeadline_isATimeoutAtTheDeadline() {
        try (NoteRepository notes = repository()) {
            Note note = notes.create(aNote().build()).block(WAIT);
            relay.addLatency(Duration.ofMillis(300));
            assertEquals(note, notes.findById(note.id()).block(WAIT), "a round trip of 600 ms is within the timeout");
            CallerContext caller = new CallerContext("slow-caller", Instant.now().plusMillis(200));

            long started = System.nanoTime();
            Throwable error = failureOf(notes.findById(note.id()).contextWrite(caller::into));
            Duration took = Duration.ofNanos(System.nanoTime() - started);

            TransientFailureException timeout = assertInstanceOf(TransientFailureException.class, error);
            assertEquals(Reason.TIMEOUT, timeout.reason());
            assertTrue(timeout.getMessage().contains("caller's deadline"), timeout.getMessage());
            assertTrue(took.compareTo(Duration.ofMillis(500)) < 0, "took " + took + ", the round trip takes 600 ms");
            relay.heal();
            assertEquals(note, notes.findById(note.id()).retry(3).block(WAIT));
        }
    }

    @Test
    void aCallOfTwoRoundTrips_endsAtTheCallersDeadline_notOneTimeoutPerRoundTrip() {
        try (NoteRepository notes = repository(Duration.ofSeconds(5))) {
            Note note = notes.create(aNote().build()).block(WAIT);
            relay.addLatency(Duration.ofMillis(400));
            // A retried create of a stored note is an insert (a duplicate key) and then a read: two round trips.
            CallerContext caller = new CallerContext("retrying-caller", Instant.now().plusMillis(1_000));

            long started = System.nanoTime();
            Throwable error = failureOf(notes.create(note).contextWrite(caller::into));
            Duration took = Duration.ofNanos(System.nanoTime() - started);

            assertEquals(Reason.TIMEOUT, assertInstanceOf(TransientFailureException.class, error).reason());
            assertTrue(took.compareTo(Duration.ofMillis(1_450)) < 0, "took " + took + ", the two round trips 1.6 s");
        }
    }

    @Test
    void aDeadlineTooCloseForOneRoundTrip_isATimeout_notAnUnavailableDatabase() throws InterruptedException {
        try (NoteRepository notes = new DirectNoteRepositoryProvider().create(Map.of(
                "MONGODB_URI", relay.mongoConnectionString() + "/?heartbeatFrequencyMS=500",
                "MONGODB_SERVER_SELECTION_TIMEOUT_MS", "1000"))) {
            notes.count().block(WAIT);
            relay.addLatency(Duration.ofMillis(100));
            Thread.sleep(2_000); // the driver learns the round trip (200 ms) from its monitor's heartbeats
            CallerContext caller = new CallerContext("hurried-caller", Instant.now().plusMillis(150));

            Throwable error = failureOf(notes.count().contextWrite(caller::into));

            TransientFailureException timeout = assertInstanceOf(TransientFailureException.class, error);
            assertEquals(Reason.TIMEOUT, timeout.reason(), timeout.getMessage());
        }
    }

    @Test
    void unreachableDatabase_withTheCallersDeadlineFarAhead_isUnavailable_afterTheServerSelectionTimeout() {
        try (NoteRepository notes = repository(Duration.ofSeconds(8))) {
            notes.count().block(WAIT);
            relay.refuseConnections();
            relay.dropConnections();
            CallerContext caller = new CallerContext("patient-caller", Instant.now().plusSeconds(20));

            long started = System.nanoTime();
            Throwable error = failureOf(notes.findById(NoteId.generate()).contextWrite(caller::into));
            Duration took = Duration.ofNanos(System.nanoTime() - started);

            TransientFailureException unavailable = assertInstanceOf(TransientFailureException.class, error);
            assertEquals(Reason.UNAVAILABLE, unavailable.reason(), unavailable.getMessage());
            assertTrue(took.compareTo(Duration.ofSeconds(4)) < 0, "took " + took + " (server selection: 1 s)");
        }
    }

    @Test
    void halfOpenNetwork_isATransientFailure_notAHang() {
        try (NoteRepository notes = repository()) {
            notes.count().block(WAIT);
            relay.blackhole();

            long started = System.nanoTime();
            Throwable error = failureOf(notes.findById(NoteId.generate()));
            Duration took = Duration.ofNanos(System.nanoTime() - started);

            assertInstanceOf(TransientFailureException.class, error);
            assertTrue(took.compareTo(Duration.ofSeconds(5)) < 0, "took " + took);
        }
    }

    @Test
    void droppedConnections_areReplaced_andAcknowledgedWritesSurvive() {
        try (NoteRepository notes = repository()) {
            Note before = notes.create(aNote().build()).block(WAIT);
            relay.dropConnections();

            Note after = notes.create(aNote().build()).retry(3).block(WAIT);

            assertEquals(2L, notes.count().retry(3).block(WAIT));
            assertEquals(before, notes.findById(before.id()).block(WAIT));
            assertEquals(after, notes.findById(after.id()).block(WAIT));
        }
    }

    @Test
    void afterFaults_closingTheRepository_leavesNoSocketsOrDriverThreads() throws Exception {
        long threadsBefore = driverThreads();
        long threadsDuring;
        try (NoteRepository notes = repository()) {
            notes.count().block(WAIT);
            relay.addLatency(Duration.ofMillis(1500));
            failureOf(notes.count());
            relay.heal();
            relay.dropConnections();
            notes.count().retry(3).block(WAIT);
            threadsDuring = driverThreads();
        }

        await("every socket closed").atMost(WAIT).until(() -> relay.openSockets() == 0
                && db.connectionStats().current() == 0);
        assertTrue(threadsDuring > threadsBefore, "the driver's monitor thread was counted while open");
        await("the driver's threads ended").atMost(WAIT).until(() -> driverThreads() <= threadsBefore);
    }

    private NoteRepository repository() {
        return repository(Duration.ofSeconds(1));
    }

    /** The direct adapter through the relay; a server selection gives up after a second. */
    private NoteRepository repository(Duration operationTimeout) {
        return new DirectNoteRepositoryProvider().create(Map.of(
                "MONGODB_URI", relay.mongoConnectionString(),
                "MONGODB_SERVER_SELECTION_TIMEOUT_MS", "1000",
                "MONGODB_OPERATION_TIMEOUT_MS", Long.toString(operationTimeout.toMillis())));
    }

    private static Throwable failureOf(Mono<?> operation) {
        return operation.then().materialize().block(WAIT).getThrowable();
    }

    private static long driverThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                // the driver names its monitoring threads cluster-<id>-<host>
                .filter(thread -> thread.getName().startsWith("cluster-"))
                .count();
    }
}
