package dev.dbproxy.notes.adapter.direct;

import static dev.dbproxy.notes.testkit.NoteBuilder.aNote;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dbproxy.lambda.environment.snapstart.LambdaRuntimeCheckpoint;
import dev.dbproxy.localmongodb.ConnectionStats;
import dev.dbproxy.localmongodb.EmbeddedMongoDb;
import dev.dbproxy.notes.core.domain.Note;
import dev.dbproxy.notes.core.domain.NotePageRequest;
import dev.dbproxy.notes.core.port.NoteRepository;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The direct adapter around a SnapStart snapshot, driven in one JVM through the Lambda runtime's own CRaC context
 * (this module's Failsafe launches the JVM as Lambda launches a SnapStart environment), against the embedded MongoDB,
 * which counts the connections it holds.
 */
class DirectAdapterSnapStartIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    /** The repository as a function's init builds it in an environment whose init ends in a snapshot. */
    private static NoteRepository initializedForASnapshot(EmbeddedMongoDb db) {
        return new DirectNoteRepositoryProvider().create(Map.of("MONGODB_URI", db.connectionString(),
                "AWS_LAMBDA_INITIALIZATION_TYPE", "snap-start"));
    }

    @Test
    void checkpoint_closesEveryConnection_andTheFirstCallAfterTheRestoreReconnects() throws Exception {
        try (EmbeddedMongoDb db = EmbeddedMongoDb.start();
                NoteRepository notes = initializedForASnapshot(db)) {
            notes.warmUp().block(TIMEOUT);
            Note stored = notes.create(aNote().build()).block(TIMEOUT);
            ConnectionStats initialized = db.connectionStats();
            assertTrue(initialized.current() > 0, "init connected: " + initialized);

            LambdaRuntimeCheckpoint.checkpoint();
            await().atMost(TIMEOUT).until(() -> db.connectionStats().current() == 0);
            LambdaRuntimeCheckpoint.restore();
            assertEquals(0, db.connectionStats().current(), "a restored environment connects on first use");

            assertEquals(stored, notes.findById(stored.id()).block(TIMEOUT), "the next call works");
            ConnectionStats restored = db.connectionStats();
            assertTrue(restored.current() > 0 && restored.current() <= 2, "pool + monitor again: " + restored);
            assertTrue(restored.totalCreated() > initialized.totalCreated(), "new connections: " + restored);
            assertEquals(2L, notes.count().block(TIMEOUT) + 1, "the listing and counting paths work too");
        }
    }

    @Test
    void checkpointsAndRestores_again_eachTimeLeaveNoConnectionAndReconnect() throws Exception {
        try (EmbeddedMongoDb db = EmbeddedMongoDb.start();
                NoteRepository notes = initializedForASnapshot(db)) {
            for (int snapshot = 0; snapshot < 3; snapshot++) {
                notes.create(aNote().build()).block(TIMEOUT);

                LambdaRuntimeCheckpoint.checkpoint();
                await().atMost(TIMEOUT).until(() -> db.connectionStats().current() == 0);
                LambdaRuntimeCheckpoint.restore();
            }

            assertEquals(3, notes.listNewestFirst(NotePageRequest.first(10))
                    .block(TIMEOUT).notes().size());
        }
    }
}
