package dev.dbproxy.reliability;

import static org.awaitility.Awaitility.await;

import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import com.mongodb.reactivestreams.client.MongoCollection;
import dev.dbproxy.lab.serve.LocalNotesStack;
import dev.dbproxy.notes.adapter.direct.MongoDbSettings;
import dev.dbproxy.proxy.handler.DbProxySettings;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;
import org.bson.Document;

/**
 * The whole local notes stack ({@link LocalNotesStack}: embedded MongoDB, every function of the template, the HTTP
 * gateway) with an HTTP client for each strategy and a driver client of its own to check what is stored.
 */
final class NotesStackFixture implements AutoCloseable {

    /** The proxy function's name in {@code sample-notes/template.yaml}. */
    static final String PROXY_FUNCTION = "DbProxyFunction";
    /** A direct-strategy business function of the template, whose settings stand for all of them. */
    static final String DIRECT_FUNCTION = "DirectCreateNoteFunction";

    private final LocalNotesStack stack;
    private final HttpClient http = NotesApi.newHttpClient();
    private final NotesApi direct;
    private final NotesApi proxy;
    private final MongoClient verifier;

    private NotesStackFixture(LocalNotesStack stack) {
        this.stack = stack;
        this.direct = NotesApi.of(http, stack.baseUrl(), "direct");
        this.proxy = NotesApi.of(http, stack.baseUrl(), "proxy");
        this.verifier = MongoClients.create(stack.mongoDbUri());
    }

    /** Starts the stack the builder describes. */
    static NotesStackFixture start(LocalNotesStack.Builder builder) {
        return new NotesStackFixture(builder.start());
    }

    LocalNotesStack stack() {
        return stack;
    }

    NotesApi direct() {
        return direct;
    }

    NotesApi proxy() {
        return proxy;
    }

    List<NotesApi> bothStrategies() {
        return List.of(direct, proxy);
    }

    /** The collection both strategies store notes in (template defaults: database and collection {@code notes}). */
    MongoCollection<Document> notesCollection() {
        return verifier.getDatabase("notes").getCollection("notes");
    }

    /** The longest server-selection timeout configured for the direct functions and the proxy. */
    Duration configuredServerSelectionTimeout() {
        Duration directTimeout = MongoDbSettings.fromEnv(environment(DIRECT_FUNCTION)).serverSelectionTimeout();
        Duration proxyTimeout = DbProxySettings.fromEnv(environment(PROXY_FUNCTION)).serverSelectionTimeout();
        return directTimeout.compareTo(proxyTimeout) >= 0 ? directTimeout : proxyTimeout;
    }

    private Map<String, String> environment(String function) {
        return stack.platform().definition(function).environment();
    }

    /**
     * The nothing-lost, nothing-doubled check, plus: every live acknowledged note is readable through the API.
     *
     * @return every problem found; empty when all is well
     */
    List<String> verify(NoteLedger ledger) {
        NoteLedger.Verification stored = ledger.verify(notesCollection());
        List<String> problems = new ArrayList<>(stored.problems());
        for (String id : ledger.liveIds()) {
            int status = direct.get(id).status();
            if (status != 200) {
                problems.add("note " + id + " is not readable through the API: GET answered " + status);
            }
        }
        System.out.println("ledger check: " + stored.summary());
        return problems;
    }

    /**
     * Runs the load until the functions of the given strategies have warm environments, so that the scenario measures
     * the fault and not cold starts on a busy machine (where a cold start may overrun the 10 s Lambda timeout). What
     * went wrong while warming up is printed, not asserted.
     *
     * @return the time the scenario starts: judge only the requests sent after it
     * @throws IllegalStateException when the stack is still not warm after two minutes
     */
    static long warmUp(MixedLoad load, List<String> strategies, List<String> operations) {
        try {
            await("the stack warm").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(50))
                    .until(() -> new Outcomes(load.outcomes()).warm(strategies, operations, 3));
        } catch (ConditionTimeoutException notWarm) {
            throw new IllegalStateException("the stack did not warm up in 2 minutes: "
                    + new Outcomes(load.outcomes()).histogram(), notWarm);
        }
        Outcomes warmUp = new Outcomes(load.outcomes());
        if (!warmUp.unexpected().isEmpty()) {
            System.out.println("while warming up (not judged): " + warmUp.unexpected());
        }
        return System.nanoTime();
    }

    /** The functions that failed or timed out, with their counts and durations: context for an assertion message. */
    String failedFunctions() {
        return stack.platform().metrics().stream()
                .filter(metrics -> metrics.errors() > 0 || metrics.timeouts() > 0)
                .map(metrics -> metrics.functionName() + ": errors=" + metrics.errors() + " timeouts="
                        + metrics.timeouts() + " coldStarts=" + metrics.coldStarts() + " maxDurationMs="
                        + Math.round(metrics.duration().max()) + " maxInitMs=" + Math.round(metrics.initDuration().max()))
                .toList().toString();
    }

    static void sleep(Duration duration) {
        try {
            TimeUnit.NANOSECONDS.sleep(duration.toNanos());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public void close() {
        verifier.close();
        http.close();
        stack.close();
    }
}
