package dev.dbproxy.notes.core.domain;

import dev.dbproxy.notes.core.error.InvalidInputException;
import java.util.Objects;
import java.util.Optional;

/**
 * Which page of the newest-first listing to read.
 *
 * @param limit how many notes at most, 1 to 100
 * @param after the cursor returned with the previous page; empty for the first page
 */
public record NotePageRequest(int limit, Optional<PageCursor> after) {

    /** Page size used when the caller gives none. */
    public static final int DEFAULT_LIMIT = 20;
    /** Largest page a caller may ask for. */
    public static final int MAX_LIMIT = 100;

    public NotePageRequest {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new InvalidInputException("limit", "must be between 1 and " + MAX_LIMIT);
        }
        Objects.requireNonNull(after, "after");
    }

    /** The first page of {@code limit} notes. */
    public static NotePageRequest first(int limit) {
        return new NotePageRequest(limit, Optional.empty());
    }

    /**
     * A request built from the text of query parameters, either of which may be absent ({@code null}).
     *
     * @throws InvalidInputException naming {@code limit} or {@code cursor}
     */
    public static NotePageRequest parse(String limit, String cursor) {
        int size = DEFAULT_LIMIT;
        if (limit != null) {
            try {
                size = Integer.parseInt(limit.strip());
            } catch (NumberFormatException e) {
                throw new InvalidInputException("limit", "must be a whole number between 1 and " + MAX_LIMIT);
            }
        }
        Optional<PageCursor> after = cursor == null || cursor.isBlank()
                ? Optional.empty()
                : Optional.of(PageCursor.decode(cursor.strip()));
        return new NotePageRequest(size, after);
    }
}
