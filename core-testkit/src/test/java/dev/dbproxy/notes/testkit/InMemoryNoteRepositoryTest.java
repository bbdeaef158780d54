package dev.dbproxy.notes.testkit;

import dev.dbproxy.notes.core.port.NoteRepository;

class InMemoryNoteRepositoryTest extends NoteRepositoryContract {

    @Override
    protected NoteRepository newEmptyRepository() {
        return new InMemoryNoteRepository();
    }
}
