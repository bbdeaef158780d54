package dev.dbproxy.notes.adapter.direct;

import dev.dbproxy.localmongodb.EmbeddedMongoDb;
import dev.dbproxy.notes.core.port.NoteRepository;
import dev.dbproxy.notes.testkit.NoteRepositoryContract;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The port contract against a real wire-protocol server: the embedded one, or any MongoDB named by MONGODB_URI. */
class MongoNoteRepositoryIT extends NoteRepositoryContract {

    private static final AtomicInteger COLLECTIONS = new AtomicInteger();
    private static EmbeddedMongoDb embedded;
    private static String uri;

    @BeforeAll
    static void startDatabase() {
        uri = System.getenv("MONGODB_URI");
        if (uri == null || uri.isBlank()) {
            embedded = EmbeddedMongoDb.start();
            uri = embedded.connectionString();
        }
    }

    @AfterAll
    static void stopDatabase() {
        if (embedded != null) {
            embedded.close();
        }
    }

    @Override
    protected NoteRepository newEmptyRepository() {
        return new DirectNoteRepositoryProvider().create(Map.of(
                "MONGODB_URI", uri,
                "NOTES_DATABASE", "notes_contract",
                "NOTES_COLLECTION", "notes_" + ProcessHandle.current().pid() + "_" + COLLECTIONS.incrementAndGet()));
    }
}
