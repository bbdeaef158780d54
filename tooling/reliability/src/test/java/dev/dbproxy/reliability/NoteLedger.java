package dev.dbproxy.reliability;

import com.mongodb.reactivestreams.client.MongoCollection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.bson.Document;
import org.bson.types.ObjectId;
import reactor.core.publisher.Flux;

/**
 * What the API acknowledged, note by note, so that a fault scenario can end with the nothing-lost, nothing-doubled
 * check. A request answered 2xx is acknowledged; any other answer leaves its effect unknown (it may or may not have run),
 * so the note is only held to what cannot depend on it. Thread-safe; each note is written by one virtual user.
 */
final class NoteLedger {

    private static final Duration READ_WAIT = Duration.ofSeconds(30);

    /** The acknowledged state of a note created with a 201. */
    private static final class Entry {
        final String title;
        volatile String description;
        volatile boolean deleted;
        volatile boolean uncertain;

        Entry(String title, String description) {
            this.title = title;
            this.description = description;
        }
    }

    private final Map<String, Entry> created = new ConcurrentHashMap<>();
    private final Set<String> maybeCreatedTitles = ConcurrentHashMap.newKeySet();

    /** A create answered 201 with this id. */
    void created(String id, String title, String description) {
        created.put(id, new Entry(title, description));
    }

    /** A create answered with an error: the note may exist once, or not at all. */
    void maybeCreated(String title) {
        maybeCreatedTitles.add(title);
    }

    /** An update answered 200. */
    void updated(String id, String description) {
        created.get(id).description = description;
    }

    /** A delete answered 204. */
    void deleted(String id) {
        created.get(id).deleted = true;
    }

    /** An update or delete answered with an error: the note may have changed or gone. */
    void uncertain(String id) {
        created.get(id).uncertain = true;
    }

    /** The ids of the acknowledged notes that must exist now: created, not deleted, no unacknowledged write since. */
    List<String> liveIds() {
        return created.entrySet().stream()
                .filter(entry -> !entry.getValue().deleted && !entry.getValue().uncertain)
                .map(Map.Entry::getKey)
                .toList();
    }

    /**
     * Compares the ledger with every document of the collection.
     *
     * @return what is wrong; empty when nothing acknowledged was lost, nothing is stored twice, acknowledged updates and
     *         deletes are visible and every stored note was asked for
     */
    Verification verify(MongoCollection<Document> collection) {
        List<Document> stored = Flux.from(collection.find()).collectList().block(READ_WAIT);
        List<String> problems = new ArrayList<>();
        Map<String, Integer> byId = new HashMap<>();
        Map<String, Integer> byTitle = new HashMap<>();
        Map<String, Document> documents = new HashMap<>();
        for (Document document : stored) {
            Object rawId = document.get("_id");
            String id = rawId instanceof ObjectId objectId ? objectId.toHexString() : String.valueOf(rawId);
            byId.merge(id, 1, Integer::sum);
            byTitle.merge(document.getString("title"), 1, Integer::sum);
            documents.put(id, document);
        }
        byId.forEach((id, count) -> {
            if (count > 1) {
                problems.add("note " + id + " is stored " + count + " times");
            }
        });
        byTitle.forEach((title, count) -> {
            if (count > 1) {
                problems.add("title " + title + " is stored " + count + " times");
            }
        });
        int live = 0;
        for (Map.Entry<String, Entry> acknowledged : created.entrySet()) {
            String id = acknowledged.getKey();
            Entry entry = acknowledged.getValue();
            Document document = documents.get(id);
            if (document != null && !entry.title.equals(document.getString("title"))) {
                problems.add("note " + id + " has title " + document.getString("title") + ", created as " + entry.title);
            }
            if (entry.uncertain) {
                continue;
            }
            if (entry.deleted) {
                if (document != null) {
                    problems.add("note " + id + " was deleted (204) but is still stored");
                }
                continue;
            }
            live++;
            if (document == null) {
                problems.add("note " + id + " was created (201) but is lost");
            } else if (!entry.description.equals(document.getString("description"))) {
                problems.add("note " + id + " has description " + document.getString("description")
                        + ", the last acknowledged update set " + entry.description);
            }
        }
        Set<String> acknowledgedTitles = ConcurrentHashMap.newKeySet();
        created.values().forEach(entry -> acknowledgedTitles.add(entry.title));
        for (Document document : stored) {
            String title = document.getString("title");
            if (!acknowledgedTitles.contains(title) && !maybeCreatedTitles.contains(title)) {
                problems.add("note " + document.get("_id") + " (" + title + ") was never asked for");
            }
        }
        return new Verification(stored.size(), created.size(), live, maybeCreatedTitles.size(), List.copyOf(problems));
    }

    /**
     * The outcome of {@link #verify}.
     *
     * @param stored        documents in the collection
     * @param acknowledged  creates answered 201
     * @param live          acknowledged notes neither deleted nor touched by an unacknowledged write
     * @param unknownCreates creates answered with an error
     * @param problems      what is wrong; empty when all is well
     */
    record Verification(int stored, int acknowledged, int live, int unknownCreates, List<String> problems) {

        boolean passed() {
            return problems.isEmpty();
        }

        /** One line for a log or the soak report; the first problems when there are any. */
        String summary() {
            return "stored=" + stored + " acknowledgedCreates=" + acknowledged + " live=" + live + " unknownCreates="
                    + unknownCreates + (passed() ? " OK: nothing lost, nothing doubled"
                    : " FAILED: " + problems.size() + " problems, first: " + problems.subList(0, Math.min(5, problems.size())));
        }
    }
}
