package dev.dbproxy.notes.core.domain;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * A note. Timestamps are kept to the millisecond, the precision MongoDB stores, so a note read back equals the note
 * written.
 *
 * @param id          caller-generated identity
 * @param title       trimmed, 1 to 200 characters
 * @param description up to 10,000 characters, possibly empty
 * @param createdAt   when the note was created; the key of the newest-first order
 * @param updatedAt   when the note last changed
 */
public record Note(NoteId id, String title, String description, Instant createdAt, Instant updatedAt) {

    public Note {
        Objects.requireNonNull(id, "id");
        title = NoteText.title(title);
        description = NoteText.description(description);
        createdAt = Objects.requireNonNull(createdAt, "createdAt").truncatedTo(ChronoUnit.MILLIS);
        updatedAt = Objects.requireNonNull(updatedAt, "updatedAt").truncatedTo(ChronoUnit.MILLIS);
    }

    /** This note with the given changes applied and {@code updatedAt} set to {@code at}. */
    public Note apply(NoteChanges changes, Instant at) {
        return new Note(
                id,
                changes.title().orElse(title),
                changes.description().orElse(description),
                createdAt,
                at);
    }

    /** Whether {@code other} carries the same content as this note, which makes a second create of it a retry. */
    public boolean sameContentAs(Note other) {
        return id.equals(other.id)
                && title.equals(other.title)
                && description.equals(other.description)
                && createdAt.equals(other.createdAt);
    }
}
