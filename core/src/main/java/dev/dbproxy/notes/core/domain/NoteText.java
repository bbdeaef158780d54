package dev.dbproxy.notes.core.domain;

import dev.dbproxy.notes.core.error.InvalidInputException;

/**
 * The rules for a note's text fields, shared by the note itself and the commands that change it. Lengths count UTF-16
 * code units, as Java's {@code String.length()} (a character outside the Basic Multilingual Plane, such as most
 * emoji, counts as two): that bounds what a note costs in every encoding it travels in. Text that comes in
 * ({@link #titleInput}, {@link #descriptionInput}) must also be valid Unicode (no unpaired surrogate, which MongoDB
 * would store as a replacement character) and hold no control character (C0, DEL, C1) other than tab, line feed and
 * carriage return; notes read back from the store are not held to that, so a note stored before the rule stays
 * readable.
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
     * @throws InvalidInputException naming {@code title} when it is missing, blank or longer than 200 code units
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
     * @throws InvalidInputException naming {@code description} when it is longer than 10,000 code units
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

    /**
     * A title as a client sends it: checked for invalid Unicode and control characters before trimming, then as
     * {@link #title}.
     *
     * @throws InvalidInputException naming {@code title}
     */
    public static String titleInput(String title) {
        if (title != null) {
            requireValidText("title", title);
        }
        return title(title);
    }

    /**
     * A description as a client sends it: checked for invalid Unicode and control characters, then as
     * {@link #description}.
     *
     * @throws InvalidInputException naming {@code description}
     */
    public static String descriptionInput(String description) {
        if (description != null) {
            requireValidText("description", description);
        }
        return description(description);
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
            } else if (Character.isISOControl(c) && c != '\t' && c != '\n' && c != '\r') {
                throw new InvalidInputException(field, "must not hold control characters (found U+"
                        + String.format("%04X", (int) c) + " at position " + at + ")");
            }
        }
    }
}
