package dev.dbproxy.notes.core.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dbproxy.notes.core.error.InvalidInputException;
import dev.dbproxy.notes.core.usecase.CreateNote;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class NoteValidationTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00.123456Z");

    @Test
    void createCommand_trimsTheTitle_andTreatsAMissingDescriptionAsEmpty() {
        CreateNote.Command command = new CreateNote.Command("  Title \t", null);

        assertEquals("Title", command.title());
        assertEquals("", command.description());
    }

    @Test
    void createCommand_rejectsMissingBlankAndTooLongTitles_namingTheField() {
        for (String title : new String[] {null, "", "   ", "x".repeat(201)}) {
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> new CreateNote.Command(title, ""));
            assertEquals("title", e.field());
        }
        assertEquals(200, new CreateNote.Command(" " + "x".repeat(200) + " ", "").title().length());
    }

    @Test
    void createCommand_rejectsADescriptionOverTenThousandCharacters() {
        InvalidInputException e = assertThrows(
                InvalidInputException.class, () -> new CreateNote.Command("t", "d".repeat(10_001)));

        assertEquals("description", e.field());
    }

    @Test
    void text_mustBeValidUnicode_withoutControlCharacters_namingTheField() {
        String[] invalid = {"a\ud800", "\udc00b", "x\udc00\ud800y", "nul\u0000", "bell\u0007", "del\u007f",
            "c1\u0085", "\u000btrimmed away", "trimmed away\u001f"};
        for (String bad : invalid) {
            assertEquals("title", assertThrows(InvalidInputException.class,
                    () -> new CreateNote.Command(bad, "")).field(), bad);
            assertEquals("description", assertThrows(InvalidInputException.class,
                    () -> new CreateNote.Command("t", bad)).field(), bad);
        }
        String emoji = "\ud83d\ude00";
        assertEquals("a" + emoji, new CreateNote.Command("a" + emoji, "").title());
        String multiline = "line\n\ttab\r\n" + emoji;
        assertEquals(multiline, new CreateNote.Command("t", multiline).description());
        assertEquals(200, new CreateNote.Command(emoji.repeat(100), "").title().length(), "code units are counted");
        assertEquals("description", assertThrows(InvalidInputException.class,
                () -> NoteChanges.of(null, "bell\u0007")).field());
        Instant t = Instant.parse("2026-11-27T12:00:00Z");
        assertEquals("stored\u0007before the rule", new Note(NoteId.generate(), "stored\u0007before the rule", "", t, t)
                .title(), "a note read back from the store is not held to the input rule");
        assertEquals("title", assertThrows(InvalidInputException.class,
                () -> new CreateNote.Command(emoji.repeat(100) + "x", "")).field());
    }

    @Test
    void changes_needAtLeastOneField_andValidateThoseGiven() {
        assertEquals("body", assertThrows(InvalidInputException.class, () -> NoteChanges.of(null, null)).field());
        assertEquals("title", assertThrows(InvalidInputException.class, () -> NoteChanges.of(" ", null)).field());
        assertEquals(Optional.of("x"), NoteChanges.of(" x ", null).title());
    }

    @Test
    void note_keepsTimestampsToTheMillisecond() {
        Note note = new Note(NoteId.generate(), "t", "d", T0, T0);

        assertEquals(Instant.parse("2026-01-01T00:00:00.123Z"), note.createdAt());
    }

    @Test
    void noteId_acceptsOnly24HexDigits_andParsesUpperCase() {
        assertEquals("id", assertThrows(InvalidInputException.class, () -> NoteId.parse("123")).field());
        assertThrows(InvalidInputException.class, () -> NoteId.parse("zzzzzzzzzzzzzzzzzzzzzzzz"));
        assertThrows(InvalidInputException.class, () -> NoteId.parse("{\"$ne\":null}"));
        assertEquals("0123456789abcdef01234567", NoteId.parse("0123456789ABCDEF01234567").value());
    }

    @Test
    void noteId_generatesDistinctObjectIdShapedIds() {
        Set<NoteId> ids = new HashSet<>();
        IntStream.range(0, 10_000).forEach(i -> ids.add(NoteId.generate()));

        assertEquals(10_000, ids.size());
        long seconds = Long.parseLong(ids.iterator().next().value().substring(0, 8), 16);
        assertTrue(Math.abs(seconds - Instant.now().getEpochSecond()) < 60, "leading 4 bytes are the time");
    }

    @Test
    void noteId_fromAnIdempotencyKey_isTheSameForTheSameKey_andRefusesMalformedKeys() {
        NoteId id = NoteId.fromIdempotencyKey("8f14e45f-ceea-467f-a0e4-6d7a1b2c3d4e");

        assertEquals(id, NoteId.fromIdempotencyKey("8f14e45f-ceea-467f-a0e4-6d7a1b2c3d4e"));
        assertFalse(id.equals(NoteId.fromIdempotencyKey("8f14e45f-ceea-467f-a0e4-6d7a1b2c3d4f")));
        assertEquals(NoteId.fromIdempotencyKey("k".repeat(255)), NoteId.fromIdempotencyKey("k".repeat(255)));
        for (String malformed : new String[] {null, "", " ", "a b", "k".repeat(256), "clé", "tab\t"}) {
            assertEquals("Idempotency-Key", assertThrows(InvalidInputException.class,
                    () -> NoteId.fromIdempotencyKey(malformed)).field(), String.valueOf(malformed));
        }
    }

    @Test
    void pageCursor_roundTripsAndRejectsForgedText() {
        PageCursor cursor = new PageCursor(T0.truncatedTo(java.time.temporal.ChronoUnit.MILLIS), NoteId.generate());

        assertEquals(cursor, PageCursor.decode(cursor.encode()));
        for (String forged : new String[] {"", "abc", "!!!", "MTIzOm5vdC1hbi1pZA"}) {
            assertEquals("cursor", assertThrows(InvalidInputException.class, () -> PageCursor.decode(forged)).field());
        }
    }

    @Test
    void pageRequest_parsesQueryParameters_andBoundsTheLimit() {
        assertEquals(NotePageRequest.DEFAULT_LIMIT, NotePageRequest.parse(null, null).limit());
        assertEquals(100, NotePageRequest.parse("100", "").limit());
        for (String limit : new String[] {"0", "101", "-1", "ten", "1e3"}) {
            assertEquals("limit", assertThrows(InvalidInputException.class,
                    () -> NotePageRequest.parse(limit, null)).field());
        }
    }
}
