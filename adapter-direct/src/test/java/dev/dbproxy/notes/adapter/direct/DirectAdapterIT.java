package dev.dbproxy.notes.adapter.direct;

import static dev.dbproxy.notes.testkit.NoteBuilder.aNote;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dbproxy.localmongodb.EmbeddedMongoDb;
import dev.dbproxy.notes.core.domain.Note;
import dev.dbproxy.notes.core.domain.NoteChanges;
import dev.dbproxy.notes.core.domain.NoteId;
import dev.dbproxy.notes.core.domain.NotePageRequest;
import dev.dbproxy.notes.core.error.TransientFailureException;
import dev.dbproxy.notes.core.port.NoteRepositories;
import dev.dbproxy.notes.core.port.NoteRepository;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

class DirectAdapterIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @Test
    void notesRepositoryDirect_selectsThisAdapterThroughTheProviderSpi() {
        try (EmbeddedMongoDb db = EmbeddedMongoDb.start();
                NoteRepository notes = NoteRepositories.fromEnvironment(
                        Map.of("NOTES_REPOSITORY", "direct", "MONGODB_URI", db.connectionString()))) {

            assertTrue(notes.toString().startsWith("MongoNoteRepository"), notes.toString());
            assertEquals(0L, notes.count().block(TIMEOUT));
        }
    }

    @Test
    void oneRepository_opensAtMostItsPoolPlusOneMonitorConnection_evenUnderConcurrentLoad() {
        try (EmbeddedMongoDb db = EmbeddedMongoDb.start();
                NoteRepository notes = repository(db, Map.of())) {
            Flux.range(0, 50).flatMap(i -> notes.create(aNote().build()), 50).blockLast(TIMEOUT);

            assertEquals(50L, notes.count().block(TIMEOUT));
            assertTrue(db.connectionStats().current() <= 2, "connections: " + db.connectionStats());
            assertTrue(db.connectionStats().totalCreated() <= 2, "connections: " + db.connectionStats());
        }
    }

    @Test
    void whenTheDatabaseIsDown_operationsFailFastAsTransient_andRecoverWhenItReturns() {
        try (EmbeddedMongoDb db = EmbeddedMongoDb.start();
                NoteRepository notes = repository(db, Map.of("MONGODB_SERVER_SELECTION_TIMEOUT_MS", "500"))) {
            assertEquals(0L, notes.count().block(TIMEOUT));
            db.stop();

            long started = System.nanoTime();
            Throwable error = notes.findById(NoteId.generate()).then().materialize().block(TIMEOUT).getThrowable();
            Duration failedAfter = Duration.ofNanos(System.nanoTime() - started);

            TransientFailureException transientFailure = assertInstanceOf(TransientFailureException.class, error);
            assertEquals(TransientFailureException.Reason.UNAVAILABLE, transientFailure.reason());
            assertTrue(failedAfter.compareTo(Duration.ofSeconds(5)) < 0, "failed after " + failedAfter);
            assertRevealsNothing(transientFailure, "127.0.0.1:" + db.port());

            try (NoteRepository withCredentials = new DirectNoteRepositoryProvider().create(Map.of(
                    "MONGODB_URI", "mongodb://notesuser:s3cr3t-pw@127.0.0.1:" + db.port() + "/?authSource=admin",
                    "MONGODB_SERVER_SELECTION_TIMEOUT_MS", "500"))) {
                Throwable withSecrets = withCredentials.create(aNote().build()).then().materialize().block(TIMEOUT)
                        .getThrowable();
                assertInstanceOf(TransientFailureException.class, withSecrets);
                assertRevealsNothing(withSecrets, "s3cr3t-pw", "notesuser", "127.0.0.1:" + db.port());
            }

            db.restart();
            assertEquals(0, notes.listNewestFirst(NotePageRequest.first(5)).retry(20).block(TIMEOUT).notes().size());
        }
    }

    @Test
    void writeNotConfirmedByEnoughServers_failsAsTransient_evenForARetriedCreate_whichSucceedsOnceConfirmed() {
        try (EmbeddedMongoDb db = EmbeddedMongoDb.start();
                NoteRepository notes = repository(db, Map.of())) {
            Note note = aNote().build();
            db.failWriteConcern(true);

            Throwable created = notes.create(note).then().materialize().block(TIMEOUT).getThrowable();
            Throwable retriedWhileFailing = notes.create(note).then().materialize().block(TIMEOUT).getThrowable();
            db.failWriteConcern(false);
            Note retried = notes.create(note).block(TIMEOUT);
            db.failWriteConcern(true);
            Throwable updated = notes.update(note.id(), NoteChanges.of("changed", null), note.updatedAt())
                    .then().materialize().block(TIMEOUT).getThrowable();
            db.failWriteConcern(false);

            for (Throwable error : new Throwable[] {created, retriedWhileFailing, updated}) {
                TransientFailureException transientFailure = assertInstanceOf(TransientFailureException.class, error);
                assertEquals(TransientFailureException.Reason.UNAVAILABLE, transientFailure.reason());
                assertRevealsNothing(transientFailure, "127.0.0.1:" + db.port());
            }
            assertEquals(note.id(), retried.id());
            assertEquals(1L, notes.count().block(TIMEOUT), "the retry stored nothing twice");
        }
    }

    @Test
    void warmUp_opensThePooledConnection_beforeAnyCall() {
        try (EmbeddedMongoDb db = EmbeddedMongoDb.start();
                NoteRepository notes = repository(db, Map.of())) {
            long monitoring = settledConnections(db);

            notes.warmUp().block(TIMEOUT);

            assertEquals(monitoring + 1, db.connectionStats().current(), "connections: " + db.connectionStats());
            assertEquals(0L, notes.count().block(TIMEOUT));
            assertEquals(monitoring + 1, db.connectionStats().current(), "the first call used that connection");
        }
    }

    @Test
    void warmUp_whenTheDatabaseIsDown_completesAnyway_andTheFirstCallReportsIt() {
        try (EmbeddedMongoDb db = EmbeddedMongoDb.start();
                NoteRepository notes = repository(db, Map.of("MONGODB_SERVER_SELECTION_TIMEOUT_MS", "500"))) {
            db.stop();

            assertEquals(null, notes.warmUp().block(TIMEOUT));

            Throwable error = notes.count().then().materialize().block(TIMEOUT).getThrowable();
            assertEquals(TransientFailureException.Reason.UNAVAILABLE,
                    assertInstanceOf(TransientFailureException.class, error).reason());
        }
    }

    /**
     * The connections the database sees once the driver's monitoring has connected (none of them pooled): the count,
     * once it is above zero and the same two polls 200 ms apart.
     */
    private static long settledConnections(EmbeddedMongoDb db) {
        AtomicLong previous = new AtomicLong(-1);
        return await("the driver's monitoring connections to settle").atMost(TIMEOUT)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> db.connectionStats().current(), current -> current > 0
                        && current == previous.getAndSet(current));
    }

    /** Neither the message of the error nor any of its causes holds one of these fragments. */
    private static void assertRevealsNothing(Throwable error, String... fragments) {
        for (Throwable at = error; at != null; at = at.getCause()) {
            String message = String.valueOf(at.getMessage());
            for (String fragment : fragments) {
                assertFalse(message.contains(fragment), () -> "'" + fragment + "' in: " + message);
            }
        }
    }

    private static NoteRepository repository(EmbeddedMongoDb db, Map<String, String> extra) {
        Map<String, String> env = new java.util.HashMap<>(extra);
        env.put("MONGODB_URI", db.connectionString());
        return new DirectNoteRepositoryProvider().create(env);
    }
}
