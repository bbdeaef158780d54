package dev.dbproxy.examples.tasks.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class TaskTest {

    private static final TaskId ID = new TaskId("665f1c2e8a1b2c3d4e5f6a01");

    @Test
    void generatedIds_are24HexDigitsStartingWithTheCurrentSecond_andDiffer() {
        TaskId first = TaskId.generate();
        assertTrue(first.value().matches("[0-9a-f]{24}"), first.value());
        long seconds = Long.parseLong(first.value().substring(0, 8), 16);
        assertTrue(Math.abs(Instant.now().getEpochSecond() - seconds) < 5, "ObjectId-style timestamp");
        assertNotEquals(first, TaskId.generate());
    }

    @Test
    void parse_acceptsAnyCase_andRejectsWhatIsNotAnObjectId() {
        assertEquals(ID, TaskId.parse(" 665F1C2E8A1B2C3D4E5F6A01 "));
        assertEquals("id", assertThrows(InvalidTaskException.class, () -> TaskId.parse("665f1c2e")).field());
        assertEquals("id", assertThrows(InvalidTaskException.class, () -> TaskId.parse(null)).field());
    }

    @Test
    void title_isTrimmed_andMustBePresentShortAndFreeOfControlCharacters() {
        assertEquals("buy milk", Task.open(ID, "  buy milk ", Instant.EPOCH).title());
        for (String bad : new String[] {null, " ", "a\u0007b", "x".repeat(Task.MAX_TITLE_LENGTH + 1)}) {
            assertEquals("title", assertThrows(InvalidTaskException.class,
                    () -> Task.open(ID, bad, Instant.EPOCH)).field());
        }
    }

    @Test
    void createdAt_keepsMilliseconds_asADatabaseDateDoes() {
        Instant micros = Instant.parse("2026-12-07T10:00:00.123456Z");
        assertEquals(Instant.parse("2026-12-07T10:00:00.123Z"), Task.open(ID, "t", micros).createdAt());
    }

    @Test
    void checkedLimit_rejectsZeroAndMoreThanTheMaximum() {
        assertEquals(1, TaskRepository.checkedLimit(1));
        assertThrows(InvalidTaskException.class, () -> TaskRepository.checkedLimit(0));
        assertThrows(InvalidTaskException.class, () -> TaskRepository.checkedLimit(TaskRepository.MAX_LIST_LIMIT + 1));
    }
}
