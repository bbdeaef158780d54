package dev.dbproxy.notes.testkit;

import dev.dbproxy.notes.core.domain.Note;
import dev.dbproxy.notes.core.domain.NoteChanges;
import dev.dbproxy.notes.core.domain.NoteId;
import dev.dbproxy.notes.core.domain.NotePage;
import dev.dbproxy.notes.core.domain.NotePageRequest;
import dev.dbproxy.notes.core.port.NoteRepository;
import java.time.Instant;
import java.util.Collection;
import java.util.Objects;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A {@link NoteRepository} that hands every call to another one; a test overrides the calls it wants to watch or
 * change, for example to record what a handler puts into the Reactor context of a call.
 */
public class DelegatingNoteRepository implements NoteRepository {

    private final NoteRepository delegate;

    public DelegatingNoteRepository(NoteRepository delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    @Override
    public Mono<Note> findById(NoteId id) {
        return delegate.findById(id);
    }

    @Override
    public Flux<Note> findByIds(Collection<NoteId> ids) {
        return delegate.findByIds(ids);
    }

    @Override
    public Mono<NotePage> listNewestFirst(NotePageRequest request) {
        return delegate.listNewestFirst(request);
    }

    @Override
    public Mono<Note> create(Note note) {
        return delegate.create(note);
    }

    @Override
    public Mono<Note> update(NoteId id, NoteChanges changes, Instant updatedAt) {
        return delegate.update(id, changes, updatedAt);
    }

    @Override
    public Mono<Boolean> delete(NoteId id) {
        return delegate.delete(id);
    }

    @Override
    public Mono<Long> count() {
        return delegate.count();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
