package dev.dbproxy.notes.testkit;

import static dev.dbproxy.notes.testkit.NoteBuilder.aNote;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dbproxy.notes.core.domain.Note;
import dev.dbproxy.notes.core.domain.NoteChanges;
import dev.dbproxy.notes.core.domain.NoteId;
import dev.dbproxy.notes.core.domain.NotePage;
import dev.dbproxy.notes.core.domain.NotePageRequest;
import dev.dbproxy.notes.core.domain.PageCursor;
import dev.dbproxy.notes.core.error.InvalidInputException;
import dev.dbproxy.notes.core.error.NoteNotFoundException;
import dev.dbproxy.notes.core.error.NoteIdTakenException;
import dev.dbproxy.notes.core.error.TransientFailureException;
import dev.dbproxy.notes.core.error.TransientFailureException.Reason;
import dev.dbproxy.notes.core.port.CallerContext;
import dev.dbproxy.notes.core.port.NoteRepository;
import dev.dbproxy.notes.core.usecase.CreateNote;
import dev.dbproxy.notes.core.usecase.DeleteNote;
import dev.dbproxy.notes.core.usecase.GetNote;
import dev.dbproxy.notes.core.usecase.ListNotes;
import dev.dbproxy.notes.core.usecase.UpdateNote;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * The behaviour every {@link NoteRepository} adapter must have. An adapter's test extends this class and supplies a
 * fresh, empty repository per test; passing it is what "implements the port" means.
 */
public abstract class NoteRepositoryContract {

    /** Upper bound for any single operation in the suite; generous because some adapters cross two processes. */
    protected static final Duration TIMEOUT = Duration.ofSeconds(30);

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    protected NoteRepository repository;

    /** A new, empty repository; called before every test. */
    protected abstract NoteRepository newEmptyRepository();

    @BeforeEach
    void openRepository() {
        repository = newEmptyRepository();
    }

    @AfterEach
    void closeRepository() {
        repository.close();
    }

    @Test
    void create_thenFindById_emitsTheStoredNote() {
        Note note = aNote().withTitle("Groceries").withDescription("milk, ünïcødé, 日本語 ✓").build();

        StepVerifier.create(repository.create(note)).expectNext(note).expectComplete().verify(TIMEOUT);
        StepVerifier.create(repository.findById(note.id())).expectNext(note).expectComplete().verify(TIMEOUT);
    }

    @Test
    void findById_whenNoNoteHasTheId_completesEmpty() {
        StepVerifier.create(repository.findById(NoteId.generate())).expectComplete().verify(TIMEOUT);
    }

    @Test
    void create_keepsTheLongestAllowedTexts() {
        Note note = aNote().withTitle("t".repeat(200)).withDescription("d".repeat(10_000)).build();

        await(repository.create(note));

        assertEquals(note, await(repository.findById(note.id())));
    }

    @Test
    void findByIds_emitsOnlyTheNotesThatExist() {
        Note first = await(repository.create(aNote().build()));
        Note second = await(repository.create(aNote().build()));
        await(repository.create(aNote().build()));

        List<Note> found = repository.findByIds(List.of(first.id(), NoteId.generate(), second.id()))
                .collectList().block(TIMEOUT);

        assertEquals(Set.of(first, second), Set.copyOf(found));
        assertEquals(2, found.size());
    }

    @Test
    void findByIds_withNoIds_completesEmpty() {
        StepVerifier.create(repository.findByIds(List.of())).expectComplete().verify(TIMEOUT);
    }

    @Test
    void create_whenRetriedWithTheSameNote_storesItOnce() {
        Note note = aNote().build();

        await(repository.create(note));
        Note retried = await(repository.create(note));

        assertEquals(note, retried);
        assertEquals(1L, await(repository.count()));
    }

    @Test
    void create_whenAnotherNoteHasTheId_failsPermanentlyAndKeepsTheFirst() {
        Note first = aNote().withTitle("first").build();
        await(repository.create(first));

        StepVerifier.create(repository.create(aNote().withId(first.id()).withTitle("second").build()))
                .expectErrorSatisfies(error -> assertEquals(first.id(),
                        assertInstanceOf(NoteIdTakenException.class, error).id()))
                .verify(TIMEOUT);
        assertEquals(first, await(repository.findById(first.id())));
    }

    @Test
    void update_changesOnlyTheGivenFields_andSetsUpdatedAt() {
        Note note = await(repository.create(aNote().withTitle("before").withDescription("kept").createdAt(T0).build()));
        Instant later = T0.plusSeconds(60);

        Note updated = await(repository.update(note.id(), NoteChanges.of("after", null), later));

        Note expected = new Note(note.id(), "after", "kept", T0, later);
        assertEquals(expected, updated);
        assertEquals(expected, await(repository.findById(note.id())));
    }

    @Test
    void update_canChangeTheDescriptionAlone() {
        Note note = await(repository.create(aNote().withTitle("kept").createdAt(T0).build()));

        Note updated = await(repository.update(note.id(), NoteChanges.of(null, ""), T0.plusSeconds(1)));

        assertEquals("kept", updated.title());
        assertEquals("", updated.description());
    }

    @Test
    void update_whenNoNoteHasTheId_completesEmpty() {
        StepVerifier.create(repository.update(NoteId.generate(), NoteChanges.of("x", null), T0))
                .expectComplete()
                .verify(TIMEOUT);
    }

    @Test
    void delete_removesTheNote_andReportsWhetherOneExisted() {
        Note note = await(repository.create(aNote().build()));

        assertTrue(await(repository.delete(note.id())));
        assertFalse(await(repository.delete(note.id())));
        StepVerifier.create(repository.findById(note.id())).expectComplete().verify(TIMEOUT);
    }

    @Test
    void count_countsStoredNotes() {
        assertEquals(0L, await(repository.count()));
        await(repository.create(aNote().build()));
        await(repository.create(aNote().build()));

        assertEquals(2L, await(repository.count()));
    }

    @Test
    void listNewestFirst_onAnEmptyRepository_isOneEmptyLastPage() {
        NotePage page = await(repository.listNewestFirst(NotePageRequest.first(10)));

        assertEquals(List.of(), page.notes());
        assertEquals(Optional.empty(), page.next());
    }

    @Test
    void listNewestFirst_ordersByCreatedAtThenIdDescending() {
        Note oldest = aNote().createdAt(T0).build();
        Note tiedLow = aNote().withId(new NoteId("0".repeat(23) + "1")).createdAt(T0.plusSeconds(1)).build();
        Note tiedHigh = aNote().withId(new NoteId("f".repeat(24))).createdAt(T0.plusSeconds(1)).build();
        Note newest = aNote().createdAt(T0.plusSeconds(2)).build();
        for (Note note : List.of(tiedLow, newest, oldest, tiedHigh)) {
            await(repository.create(note));
        }

        NotePage page = await(repository.listNewestFirst(NotePageRequest.first(10)));

        assertEquals(List.of(newest, tiedHigh, tiedLow, oldest), page.notes());
        assertEquals(Optional.empty(), page.next());
    }

    @Test
    void listNewestFirst_whenTheLastPageIsExactlyFull_givesNoNextCursor() {
        for (int i = 0; i < 4; i++) {
            await(repository.create(aNote().createdAt(T0.plusSeconds(i)).build()));
        }

        NotePage first = await(repository.listNewestFirst(NotePageRequest.first(2)));
        NotePage second = await(repository.listNewestFirst(new NotePageRequest(2, first.next())));

        assertTrue(first.next().isPresent());
        assertEquals(2, second.notes().size());
        assertEquals(Optional.empty(), second.next());
    }

    @Test
    void listNewestFirst_pagesWithoutDuplicatesOrGaps_whileNotesAreInserted() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Set<NoteId> existing = new HashSet<>();
        for (int i = 0; i < 23; i++) {
            // Several notes share a timestamp so that the id tie-breaker is exercised across page boundaries.
            existing.add(await(repository.create(aNote().createdAt(now.minusSeconds(100 - i / 3)).build())).id());
        }

        List<NoteId> seen = new ArrayList<>();
        NotePageRequest request = NotePageRequest.first(5);
        int pages = 0;
        while (true) {
            NotePage page = await(repository.listNewestFirst(request));
            page.notes().forEach(note -> seen.add(note.id()));
            pages++;
            await(repository.create(aNote().createdAt(now.plusSeconds(pages)).build()));
            if (page.next().isEmpty()) {
                break;
            }
            request = new NotePageRequest(5, page.next());
        }

        assertEquals(existing.size(), seen.size(), "every pre-existing note once, none inserted later: " + seen);
        assertEquals(existing, Set.copyOf(seen));
        assertEquals(5, pages);
    }

    @Test
    void create_concurrently_storesEveryNoteOnce() {
        List<Note> notes = IntStream.range(0, 64).mapToObj(i -> aNote().withTitle("note " + i).build()).toList();

        List<Note> created = Flux.fromIterable(notes)
                .flatMap(note -> repository.create(note), 32)
                .collectList()
                .block(TIMEOUT);

        assertEquals(Set.copyOf(notes), Set.copyOf(created));
        assertEquals(64L, await(repository.count()));
        List<Note> listed = await(repository.listNewestFirst(NotePageRequest.first(100))).notes();
        assertEquals(64, listed.size());
        assertEquals(64, Set.copyOf(listed).size());
    }

    @Test
    void useCases_reportMissingNotesAsNotFound() {
        NoteId missing = NoteId.generate();
        Clock clock = Clock.systemUTC();

        StepVerifier.create(new GetNote(repository).execute(missing))
                .expectErrorSatisfies(e -> assertEquals(missing.value(), ((NoteNotFoundException) e).noteId()))
                .verify(TIMEOUT);
        StepVerifier.create(new UpdateNote(repository, clock).execute(missing, NoteChanges.of("x", null)))
                .expectError(NoteNotFoundException.class)
                .verify(TIMEOUT);
        StepVerifier.create(new DeleteNote(repository).execute(missing))
                .expectError(NoteNotFoundException.class)
                .verify(TIMEOUT);
    }

    @Test
    void useCases_createListGetUpdateDelete_roundTrip() {
        Clock clock = Clock.systemUTC();
        Note created = await(new CreateNote(repository, clock).execute(new CreateNote.Command("  Title  ", null)));

        assertEquals("Title", created.title());
        assertEquals("", created.description());
        assertEquals(created, await(new GetNote(repository).execute(created.id())));
        assertEquals(List.of(created), await(new ListNotes(repository).execute(NotePageRequest.first(10))).notes());
        Note updated = await(new UpdateNote(repository, clock).execute(created.id(), NoteChanges.of(null, "more")));
        assertEquals("more", updated.description());
        await(new DeleteNote(repository).execute(created.id()).thenReturn(true));
        assertEquals(0L, await(repository.count()));
    }

    @Test
    void invalidInput_isRejectedBeforeAnythingIsStored() {
        InvalidInputException blankTitle = expectInvalid(() -> new CreateNote.Command("   ", "x"));
        InvalidInputException longDescription = expectInvalid(() -> new CreateNote.Command("t", "d".repeat(10_001)));
        InvalidInputException badCursor = expectInvalid(() -> NotePageRequest.parse("5", "not-a-cursor"));

        assertEquals("title", blankTitle.field());
        assertEquals("description", longDescription.field());
        assertEquals("cursor", badCursor.field());
        assertEquals(0L, await(repository.count()));
    }

    @Test
    void listNewestFirst_continuesAfterACursorWhoseNoteWasDeleted() {
        Note newest = await(repository.create(aNote().createdAt(T0.plusSeconds(3)).build()));
        Note middle = await(repository.create(aNote().createdAt(T0.plusSeconds(2)).build()));
        Note oldest = await(repository.create(aNote().createdAt(T0.plusSeconds(1)).build()));
        await(repository.delete(newest.id()));

        NotePage page = await(repository.listNewestFirst(
                new NotePageRequest(10, Optional.of(PageCursor.after(newest)))));

        assertEquals(List.of(middle, oldest), page.notes());
    }

    @Test
    void everyCall_madeAfterTheCallersDeadline_failsWithTimeout_andChangesNothing() {
        Note stored = await(repository.create(aNote().withTitle("stored").build()));
        CallerContext late = new CallerContext("late-caller", Instant.now().minusMillis(1));
        Note unsent = aNote().build();
        Map<String, Mono<?>> calls = new LinkedHashMap<>();
        calls.put("findById", repository.findById(stored.id()));
        calls.put("findByIds", repository.findByIds(List.of(stored.id())).collectList());
        calls.put("listNewestFirst", repository.listNewestFirst(new NotePageRequest(10, Optional.empty())));
        calls.put("count", repository.count());
        calls.put("create", repository.create(unsent));
        calls.put("update", repository.update(stored.id(), new NoteChanges(Optional.of("changed"), Optional.empty()),
                T0.plusSeconds(60)));
        calls.put("delete", repository.delete(stored.id()));

        calls.forEach((name, call) -> {
            Throwable error = assertThrows(RuntimeException.class, () -> call.contextWrite(late::into).block(TIMEOUT),
                    name);
            TransientFailureException timeout = assertInstanceOf(TransientFailureException.class, error, name);
            assertEquals(Reason.TIMEOUT, timeout.reason(), name);
            assertTrue(timeout.getMessage().contains(name), name + ": " + timeout.getMessage());
        });
        assertEquals(stored, await(repository.findById(stored.id())));
        assertEquals(1L, await(repository.count()));
    }

    @Test
    void calls_madeBeforeTheCallersDeadline_workAsWithoutOne() {
        CallerContext caller = new CallerContext("caller", Instant.now().plus(TIMEOUT));
        Function<Mono<Note>, Note> asCaller = call -> call.contextWrite(caller::into).block(TIMEOUT);
        Note note = aNote().withTitle("before").build();

        assertEquals(note, asCaller.apply(repository.create(note)));
        Note updated = asCaller.apply(repository.update(note.id(),
                new NoteChanges(Optional.of("after"), Optional.empty()), note.updatedAt().plusSeconds(1)));

        assertEquals("after", updated.title());
        assertEquals(updated, await(repository.findById(note.id())));
        assertEquals(List.of(updated), repository.findByIds(List.of(note.id())).collectList()
                .contextWrite(caller::into).block(TIMEOUT));
        assertEquals(1L, repository.count().contextWrite(caller::into).block(TIMEOUT));
    }

    @Test
    void warmUp_completesEmpty_andChangesNothing() {
        Note stored = await(repository.create(aNote().build()));

        StepVerifier.create(repository.warmUp()).expectComplete().verify(TIMEOUT);

        assertEquals(stored, await(repository.findById(stored.id())));
        assertEquals(1L, await(repository.count()));
    }

    /** Waits for a single value; fails the test after {@link #TIMEOUT}. */
    protected static <T> T await(Mono<T> mono) {
        return mono.block(TIMEOUT);
    }

    private static InvalidInputException expectInvalid(Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            return assertInstanceOf(InvalidInputException.class, e);
        }
        throw new AssertionError("expected an InvalidInputException");
    }
}
