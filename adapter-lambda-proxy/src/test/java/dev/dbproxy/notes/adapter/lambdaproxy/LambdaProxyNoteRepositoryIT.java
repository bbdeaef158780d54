package dev.dbproxy.notes.adapter.lambdaproxy;

import dev.dbproxy.notes.core.port.NoteRepository;
import dev.dbproxy.notes.testkit.NoteRepositoryContract;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The port contract end to end: real SDK → local Lambda platform → real proxy handler → embedded MongoDB. */
class LambdaProxyNoteRepositoryIT extends NoteRepositoryContract {

    private static LocalProxyStack stack;

    @BeforeAll
    static void startStack() {
        // Fewer proxy environments than the contract's 32 concurrent writes: the adapter's throttle retries absorb
        // the difference, as they would on Lambda (and in-process cold starts of 32 environments at once are slow).
        stack = new LocalProxyStack(8);
    }

    @AfterAll
    static void stopStack() {
        stack.close();
    }

    @Override
    protected NoteRepository newEmptyRepository() {
        stack.clear();
        return stack.repository(Map.of("NOTES_PROXY_MAX_ATTEMPTS", "50", "NOTES_PROXY_DEADLINE_MS", "30000"));
    }
}
