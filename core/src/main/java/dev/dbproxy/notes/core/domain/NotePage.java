package dev.dbproxy.notes.core.domain;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One page of the newest-first listing.
 *
 * @param notes the notes of this page, newest first
 * @param next  the cursor of the following page; empty when this is the last page
 */
public record NotePage(List<Note> notes, Optional<PageCursor> next) {

    public NotePage {
        notes = List.copyOf(notes);
        Objects.requireNonNull(next, "next");
    }

    /**
     * Builds the page from up to {@code limit + 1} notes read in order: the extra note, when present, proves that a
     * next page exists without a second query.
     */
    public static NotePage fromLookahead(List<Note> newestFirst, int limit) {
        if (newestFirst.size() <= limit) {
            return new NotePage(newestFirst, Optional.empty());
        }
        List<Note> page = newestFirst.subList(0, limit);
        return new NotePage(page, Optional.of(PageCursor.after(page.get(limit - 1))));
    }
}
