package dev.dbproxy.notes.core.domain;

import dev.dbproxy.notes.core.error.InvalidInputException;

/**
 * The rules for a note's text fields, shared by the note itself and the commands that change it. Lengths count UTF-16
 * code units, as Java's {@code String.length()} (a character outside the Basic Multilingual Plane, such as most
 * emoji, counts as two): that bounds what a note costs in every encoding it travels in. Text must be valid Unicode (no
 * unpaired surrogate, which MongoDB would store as a replacement character) and holds no control character other than
 * tab, line feed and carriage return.
 */
public final class NoteText {

    /** Longest title, in UTF-16 code units, after trimming. */
    public static final int MAX_TITLE_LENGTH = 200;
    /** Longest description, in UTF-16 code units. */
    public static final int MAX_DESCRIPTION_LENGTH = 10_000;

    private NoteText() {
    }

    /**
     * Returns the trimmed title.
     *
     * @throws InvalidInputException naming {@code title} when it is missing, blank, longer than 200 code units, not
     *                               valid Unicode or holds a control character
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
        requireValidText("title", trimmed);
        return trimmed;
    }

    /**
     * Returns the description, an absent one as the empty string.
     *
     * @throws InvalidInputException naming {@code description} when it is longer than 10,000 code units, not valid
     *                               Unicode or holds a control character other than tab, line feed or carriage return
     */
    public static String description(String description) {
        if (description == null) {
            return "";
        }
        if (description.length() > MAX_DESCRIPTION_LENGTH) {
            throw new InvalidInputException(
                    "description", "must be at most " + MAX_DESCRIPTION_LENGTH + " characters");
        }
        requireValidText("description", description);
        return description;
    }

    private static void requireValidText(String field, String text) {
        for (int at = 0; at < text.length(); at++) {
            char c = text.charAt(at);
            boolean pairStarts = Character.isHighSurrogate(c) && at + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(at + 1));
            if (pairStarts) {
                at++;
            } else if (Character.isSurrogate(c)) {
                throw new InvalidInputException(field, "is not valid Unicode (an unpaired surrogate at position " + at
                        + ")");
            } else if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c == 0x7F) {
                throw new InvalidInputException(field, "must not hold control characters (found U+"
                        + String.format("%04X", (int) c) + " at position " + at + ")");
            }
        }
    }
}
