package dev.dbproxy.notes.core.domain;

import dev.dbproxy.notes.core.error.InvalidInputException;

/** The rules for a note's text fields, shared by the note itself and the commands that change it. */
public final class NoteText {

    /** Longest title, in characters, after trimming. */
    public static final int MAX_TITLE_LENGTH = 200;
    /** Longest description, in characters. */
    public static final int MAX_DESCRIPTION_LENGTH = 10_000;

    private NoteText() {
    }

    /**
     * Returns the trimmed title.
     *
     * @throws InvalidInputException naming {@code title} when it is missing, blank or longer than 200 characters
     */
    public static String title(String title) {
        if (title == null) {
            throw new InvalidInputException("title", "is required");
        }
        String trimmed = title.strip();
        if (trimmed.isEmpty()) {
            throw new InvalidInputException("title", "must not be blank");
        }
        if (trimmed.length() > MAX_TITLE_LENGTH) {
            throw new InvalidInputException("title", "must be at most " + MAX_TITLE_LENGTH + " characters");
        }
        return trimmed;
    }

    /**
     * Returns the description, an absent one as the empty string.
     *
     * @throws InvalidInputException naming {@code description} when it is longer than 10,000 characters
     */
    public static String description(String description) {
        if (description == null) {
            return "";
        }
        if (description.length() > MAX_DESCRIPTION_LENGTH) {
            throw new InvalidInputException(
                    "description", "must be at most " + MAX_DESCRIPTION_LENGTH + " characters");
        }
        return description;
    }
}
