package dev.dbproxy.notes.core.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Generated ids after {@link NoteId#reseedGenerator()}: what every environment restored from one SnapStart snapshot
 * calls, so that they do not all continue the snapshot's sequence.
 */
class NoteIdGeneratorTest {

    @Test
    void generate_continuesOneSequence_untilReseeded() {
        NoteId first = NoteId.generate();
        NoteId second = NoteId.generate();

        assertEquals(processPart(first), processPart(second));
        assertEquals(counter(first) + 1 & 0xFFFFFF, counter(second));
    }

    @Test
    void reseedGenerator_drawsANewProcessPartAndCounterStart() {
        Set<String> processParts = new HashSet<>();
        NoteId before = NoteId.generate();
        processParts.add(processPart(before));

        NoteId.reseedGenerator();
        NoteId after = NoteId.generate();
        processParts.add(processPart(after));

        assertEquals(2, processParts.size(), "40 random bits drawn again: equal by chance once in 10^12");
        assertNotEquals(counter(before) + 1 & 0xFFFFFF, counter(after), "the counter does not go on either");
    }

    private static String processPart(NoteId id) {
        return id.value().substring(8, 18);
    }

    private static int counter(NoteId id) {
        return Integer.parseInt(id.value().substring(18), 16);
    }
}
