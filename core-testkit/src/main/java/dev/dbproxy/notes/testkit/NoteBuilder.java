package dev.dbproxy.notes.testkit;

import dev.dbproxy.notes.core.domain.Note;
import dev.dbproxy.notes.core.domain.NoteId;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Builds notes for tests: every field has a sensible default, tests set only what matters to them. */
public final class NoteBuilder {

    private NoteId id = NoteId.generate();
    private String title = "A note";
    private String description = "Something worth remembering";
    private Instant createdAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    private Instant updatedAt;

    private NoteBuilder() {
    }

    /** A builder with a fresh id, a title, a description and the current time. */
    public static NoteBuilder aNote() {
        return new NoteBuilder();
    }

    public NoteBuilder withId(NoteId id) {
        this.id = id;
        return this;
    }

    public NoteBuilder withTitle(String title) {
        this.title = title;
        return this;
    }

    public NoteBuilder withDescription(String description) {
        this.description = description;
        return this;
    }

    /** Sets createdAt, and updatedAt too unless it was set explicitly. */
    public NoteBuilder createdAt(Instant createdAt) {
        this.createdAt = createdAt;
        return this;
    }

    public NoteBuilder updatedAt(Instant updatedAt) {
        this.updatedAt = updatedAt;
        return this;
    }

    public Note build() {
        return new Note(id, title, description, createdAt, updatedAt != null ? updatedAt : createdAt);
    }
}
