package dev.dbproxy.notes.core.domain;

import dev.dbproxy.notes.core.error.InvalidInputException;
import java.util.Objects;
import java.util.Optional;

/**
 * A partial update: the fields present are changed, the absent ones are kept.
 *
 * @param title       the new title, validated as client input and trimmed ({@link NoteText#titleInput})
 * @param description the new description, validated as client input ({@link NoteText#descriptionInput})
 */
public record NoteChanges(Optional<String> title, Optional<String> description) {

    public NoteChanges {
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(description, "description");
        if (title.isEmpty() && description.isEmpty()) {
            throw new InvalidInputException("body", "must change at least one of title, description");
        }
        title = title.map(NoteText::titleInput);
        description = description.map(NoteText::descriptionInput);
    }

    /** Changes built from values that may be absent ({@code null}), for example fields of a JSON body. */
    public static NoteChanges of(String title, String description) {
        return new NoteChanges(Optional.ofNullable(title), Optional.ofNullable(description));
    }
}
