package dev.dbproxy.notes.core.domain;

import dev.dbproxy.notes.core.error.InvalidInputException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;

/**
 * Where a newest-first listing stopped: the sort key (createdAt, id) of the last note returned. The next page holds
 * the notes strictly older in that order, which keeps paging stable while notes are inserted (keyset pagination).
 *
 * <p>Callers see it only as the opaque text of {@link #encode()}.
 *
 * @param createdAt creation time of the last note of the previous page
 * @param id        id of the last note of the previous page, the tie breaker
 */
public record PageCursor(Instant createdAt, NoteId id) {

    private static final String FIELD = "cursor";

    public PageCursor {
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(id, "id");
    }

    /** The cursor that continues after {@code note}. */
    public static PageCursor after(Note note) {
        return new PageCursor(note.createdAt(), note.id());
    }

    /** Opaque, URL-safe text for the caller. */
    public String encode() {
        String plain = createdAt.toEpochMilli() + ":" + id.value();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Reads a cursor produced by {@link #encode()}.
     *
     * @throws InvalidInputException naming {@code cursor} when the text was not produced by {@link #encode()}
     */
    public static PageCursor decode(String text) {
        try {
            String plain = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8);
            int colon = plain.indexOf(':');
            if (colon < 1) {
                throw new InvalidInputException(FIELD, "is not a cursor returned by this service");
            }
            Instant createdAt = Instant.ofEpochMilli(Long.parseLong(plain.substring(0, colon)));
            return new PageCursor(createdAt, new NoteId(plain.substring(colon + 1)));
        } catch (IllegalArgumentException | InvalidInputException e) {
            throw new InvalidInputException(FIELD, "is not a cursor returned by this service");
        }
    }

    /** Whether {@code note} comes after this cursor in newest-first order. */
    public boolean precedes(Note note) {
        int byTime = note.createdAt().compareTo(createdAt);
        return byTime < 0 || (byTime == 0 && note.id().compareTo(id) < 0);
    }
}
