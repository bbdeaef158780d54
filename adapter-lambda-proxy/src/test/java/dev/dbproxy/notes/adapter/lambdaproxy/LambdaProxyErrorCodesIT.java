package dev.dbproxy.notes.adapter.lambdaproxy;

import static dev.dbproxy.notes.testkit.NoteBuilder.aNote;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dbproxy.notes.core.domain.Note;
import dev.dbproxy.notes.core.domain.NoteId;
import dev.dbproxy.notes.core.domain.NotePage;
import dev.dbproxy.notes.core.domain.NotePageRequest;
import dev.dbproxy.notes.core.error.PermanentFailureException;
import dev.dbproxy.notes.core.error.TransientFailureException;
import dev.dbproxy.notes.core.error.TransientFailureException.Reason;
import dev.dbproxy.notes.core.port.CallerContext;
import dev.dbproxy.notes.core.port.NoteRepository;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * How the adapter reports the error codes the real proxy answers with, through the real SDK and the local platform:
 * a refusal that retrying cannot change is a permanent failure naming the proxy's code, a deadline the proxy cannot
 * meet is a transient timeout, and nothing is written by a refused call.
 */
class LambdaProxyErrorCodesIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void anActionThePolicyDoesNotAllow_isAPermanentFailureNamingForbidden_andNothingIsDeleted() {
        try (LocalProxyStack stack = new LocalProxyStack(10,
                Map.of("PROXY_ALLOWED_ACTIONS", "find,findOne,countDocuments,insertOne"));
                NoteRepository notes = stack.repository(Map.of())) {
            Note note = notes.create(aNote().build()).block(WAIT);

            Throwable error = failureOf(notes.delete(note.id()));

            assertCode("FORBIDDEN", assertInstanceOf(PermanentFailureException.class, error));
            assertEquals(note, notes.findById(note.id()).block(WAIT));
        }
    }

    @Test
    void aRequestOverTheProxysSizeLimit_isAPermanentFailureNamingValidation_andNothingIsStored() {
        try (LocalProxyStack stack = new LocalProxyStack(10, Map.of("PROXY_MAX_REQUEST_BYTES", "4096"));
                NoteRepository notes = stack.repository(Map.of())) {
            Throwable error = failureOf(notes.create(aNote().withDescription("x".repeat(8_000)).build()));

            assertCode("VALIDATION", assertInstanceOf(PermanentFailureException.class, error));
            assertEquals(0L, notes.count().block(WAIT));
        }
    }

    @Test
    void aPageOverTheProxysResponseLimit_comesShorter_andItsCursorsLeadToEveryNoteOnce_newestFirst() {
        try (LocalProxyStack stack = new LocalProxyStack(10, Map.of("PROXY_MAX_RESPONSE_BYTES", "65536"));
                NoteRepository notes = stack.repository(Map.of())) {
            Instant start = Instant.parse("2026-11-27T10:00:00Z");
            List<Note> created = Flux.range(0, 10).concatMap(i -> notes.create(aNote()
                            .withDescription("y".repeat(8_000)).createdAt(start.plusSeconds(i)).build()))
                    .collectList().block(WAIT);

            NotePage first = notes.listNewestFirst(NotePageRequest.first(10)).block(WAIT);
            List<NoteId> listed = new ArrayList<>(first.notes().stream().map(Note::id).toList());
            NotePage page = first;
            for (int pages = 1; page.next().isPresent(); pages++) {
                assertTrue(pages <= created.size(), "more pages than notes: the cursors go round");
                page = notes.listNewestFirst(new NotePageRequest(10, page.next())).block(WAIT);
                page.notes().forEach(note -> listed.add(note.id()));
            }

            assertTrue(first.notes().size() < 10 && first.next().isPresent(),
                    "11 notes of 8 KB do not fit in 64 KB: a shorter page with a cursor, got " + first.notes().size());
            assertEquals(created.reversed().stream().map(Note::id).toList(), listed);
        }
    }

    @Test
    void pagesOfTheLongestNotes_underTheSmallestResponseLimit_comeOneNoteAtATime_andLeadToEveryNote() {
        try (LocalProxyStack stack = new LocalProxyStack(10, Map.of("PROXY_MAX_RESPONSE_BYTES", "65536"));
                NoteRepository notes = stack.repository(Map.of())) {
            // Each emoji is two six-byte escapes in the proxy's JSON: about 61 KB per note, two over 64 KiB.
            String emoji = "\ud83d\ude00";
            Instant start = Instant.parse("2026-11-27T10:00:00Z");
            List<Note> created = Flux.range(0, 3).concatMap(i -> notes.create(aNote().withTitle(emoji.repeat(100))
                            .withDescription(emoji.repeat(5_000)).createdAt(start.plusSeconds(i)).build()))
                    .collectList().block(WAIT);

            List<NotePage> pages = new ArrayList<>();
            pages.add(notes.listNewestFirst(NotePageRequest.first(10)).block(WAIT));
            while (pages.getLast().next().isPresent() && pages.size() < 10) {
                pages.add(notes.listNewestFirst(new NotePageRequest(10, pages.getLast().next())).block(WAIT));
            }

            assertEquals(List.of(1, 1, 1), pages.stream().map(page -> page.notes().size()).toList());
            assertEquals(created.reversed(), pages.stream().flatMap(page -> page.notes().stream()).toList());
        }
    }

    @Test
    void aDeadlineTooCloseForTheProxy_isItsTransientTimeout_andNothingIsStored() {
        // 19 ms: less than the 20 ms the proxy keeps before a deadline to answer in time, so it refuses before running
        // anything; the adapter waits for that answer until 100 ms past the deadline: the proxy and client warm first.
        try (LocalProxyStack stack = new LocalProxyStack(10);
                NoteRepository hurried = stack.repository(Map.of("NOTES_PROXY_DEADLINE_MS", "19"));
                NoteRepository notes = stack.repository(Map.of())) {
            assertEquals(0L, notes.count().block(WAIT));
            hurried.warmUp().block(WAIT);
            long before = stack.proxyInvocations();

            Throwable error = failureOf(hurried.create(aNote().build()));

            assertEquals(Reason.TIMEOUT, assertInstanceOf(TransientFailureException.class, error).reason());
            assertCode("TIMEOUT", error);
            assertEquals(1, stack.proxyInvocations() - before, "the proxy answered the request");
            assertEquals(0L, notes.count().block(WAIT));
        }
    }

    @Test
    void aCallMadeAfterItsCallersDeadline_isATransientTimeout_withoutInvokingTheProxy_andNothingIsStored() {
        try (LocalProxyStack stack = new LocalProxyStack(10); NoteRepository notes = stack.repository(Map.of())) {
            CallerContext gaveUp = new CallerContext("business-request-1", Instant.now().minusMillis(1));
            long before = stack.proxyInvocations();

            Throwable error = failureOf(notes.create(aNote().build()).contextWrite(gaveUp::into));

            assertEquals(Reason.TIMEOUT, assertInstanceOf(TransientFailureException.class, error).reason());
            assertEquals(before, stack.proxyInvocations());
            CallerContext waiting = new CallerContext("business-request-2", Instant.now().plusSeconds(5));
            assertEquals(0L, notes.count().contextWrite(waiting::into).block(WAIT));
        }
    }

    private static void assertCode(String code, Throwable error) {
        assertTrue(error.getMessage().startsWith("proxy error " + code + ":"), error.getMessage());
    }

    private static Throwable failureOf(Mono<?> operation) {
        return operation.then().materialize().block(WAIT).getThrowable();
    }
}
