package dev.dbproxy.reliability;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Virtual users doing creates, reads, updates and deletes of their own notes through the HTTP API, each on one
 * strategy, until stopped. Every answer becomes an {@link Outcome}; every acknowledged or unknown write goes into the
 * {@link NoteLedger}. A user never touches a note again once a write to it went unacknowledged, so the ledger stays
 * exact.
 */
final class MixedLoad implements AutoCloseable {

    /** Which operations the users do. */
    enum Mix {
        /** Creates, reads (one note and the list), updates and deletes. */
        READS_AND_WRITES,
        /** Creates, updates and deletes only: every request is exactly one proxy invocation. */
        WRITES_ONLY
    }

    /** The operations of {@link Mix#READS_AND_WRITES}. */
    static final List<String> OPERATIONS = List.of("create", "get", "list", "update", "delete");
    /** The operations of {@link Mix#WRITES_ONLY}. */
    static final List<String> WRITE_OPERATIONS = List.of("create", "update", "delete");

    private final NoteLedger ledger;
    private final Mix mix;
    private final long thinkMillis;
    private final ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
    private final List<Thread> users = new ArrayList<>();
    private volatile boolean running = true;

    private MixedLoad(NoteLedger ledger, Mix mix, long thinkMillis) {
        this.ledger = ledger;
        this.mix = mix;
        this.thinkMillis = thinkMillis;
    }

    /**
     * Starts {@code usersPerStrategy} virtual users on each of the APIs.
     *
     * @param thinkMillis the longest pause of a user between two requests (a random pause up to it)
     */
    static MixedLoad start(List<NotesApi> apis, int usersPerStrategy, Mix mix, long thinkMillis, NoteLedger ledger) {
        MixedLoad load = new MixedLoad(ledger, mix, thinkMillis);
        for (NotesApi api : apis) {
            for (int user = 0; user < usersPerStrategy; user++) {
                String prefix = api.strategy() + "-u" + user + "-" + Long.toHexString(System.nanoTime());
                load.users.add(Thread.ofVirtual().name("user-" + api.strategy() + "-" + user)
                        .start(() -> load.runUser(api, prefix)));
            }
        }
        return load;
    }

    /** Stops every user after its current request and waits for them. */
    @Override
    public void close() {
        running = false;
        for (Thread user : users) {
            try {
                user.join(TimeUnit.SECONDS.toMillis(60));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Every outcome recorded so far (and not drained). */
    List<Outcome> outcomes() {
        return List.copyOf(outcomes);
    }

    /** Removes and returns the outcomes recorded so far. */
    List<Outcome> drain() {
        List<Outcome> drained = new ArrayList<>();
        Outcome outcome;
        while ((outcome = outcomes.poll()) != null) {
            drained.add(outcome);
        }
        return drained;
    }

    private void runUser(NotesApi api, String titlePrefix) {
        List<String> owned = new ArrayList<>();
        int sequence = 0;
        ThreadLocalRandom random = ThreadLocalRandom.current();
        while (running) {
            int dice = random.nextInt(100);
            if (owned.size() < 3 || dice < 30) {
                String title = titlePrefix + "-" + sequence++;
                NotesApi.ApiResponse response = record(api, "create", 201, api.create(title, "v0"));
                if (response.status() == 201) {
                    String id = response.json().path("id").asText();
                    ledger.created(id, title, "v0");
                    owned.add(id);
                } else {
                    ledger.maybeCreated(title);
                }
            } else if (mix == Mix.READS_AND_WRITES && dice < 55) {
                record(api, "get", 200, api.get(owned.get(random.nextInt(owned.size()))));
            } else if (mix == Mix.READS_AND_WRITES && dice < 60) {
                record(api, "list", 200, api.list());
            } else if (dice < 85) {
                String id = owned.get(random.nextInt(owned.size()));
                String description = "v" + sequence++;
                if (record(api, "update", 200, api.updateDescription(id, description)).status() == 200) {
                    ledger.updated(id, description);
                } else {
                    ledger.uncertain(id);
                    owned.remove(id);
                }
            } else {
                String id = owned.remove(random.nextInt(owned.size()));
                if (record(api, "delete", 204, api.delete(id)).status() == 204) {
                    ledger.deleted(id);
                } else {
                    ledger.uncertain(id);
                }
            }
            pause(random);
        }
    }

    private NotesApi.ApiResponse record(NotesApi api, String operation, int success, NotesApi.ApiResponse response) {
        long ended = System.nanoTime();
        outcomes.add(new Outcome(api.strategy(), operation, response.status(), response.status() == success,
                response.isDocumentedRetryLater(), ended - response.durationNanos(), ended,
                response.status() == success ? "" : response.body()));
        return response;
    }

    private void pause(ThreadLocalRandom random) {
        if (thinkMillis <= 0) {
            return;
        }
        try {
            Thread.sleep(random.nextLong(thinkMillis + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    /**
     * One request and its answer.
     *
     * @param success    whether it got the operation's success status
     * @param retryLater whether it got 429 or 503 with a {@code Retry-After} (the documented transient answers)
     * @param body       the body when it did not succeed, for diagnosis
     */
    record Outcome(String strategy, String operation, int status, boolean success, boolean retryLater,
                   long startedNanos, long endedNanos, String body) {

        /** Neither a success nor a documented transient answer: a 500, a 404 of an owned note, a hang, no answer. */
        boolean unexpected() {
            return !success && !retryLater;
        }

        long durationMillis() {
            return TimeUnit.NANOSECONDS.toMillis(endedNanos - startedNanos);
        }

        /** A short description for an assertion message. */
        String describe() {
            return strategy + " " + operation + " -> " + status + " after " + durationMillis() + " ms: "
                    + (body.length() > 300 ? body.substring(0, 300) + "..." : body);
        }
    }
}
