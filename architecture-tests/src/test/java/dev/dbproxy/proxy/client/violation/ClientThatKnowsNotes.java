package dev.dbproxy.proxy.client.violation;

import dev.dbproxy.notes.core.domain.NoteId;

/** Deliberate violation, test-only: the generic proxy client naming a type of the Notes application. */
public class ClientThatKnowsNotes {
    public String idOf(NoteId id) {
        return id.value();
    }
}
