package dev.dbproxy.notes.sample.violation;

import dev.dbproxy.notes.adapter.direct.DirectNoteRepositoryProvider;

/** Deliberate violation, test-only: a business function naming an adapter class. */
public class BusinessHandlerUsingAdapter {
    public Object repositoryProvider() {
        return new DirectNoteRepositoryProvider();
    }
}
