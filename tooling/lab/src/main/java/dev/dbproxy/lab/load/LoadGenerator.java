package dev.dbproxy.lab.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Virtual users over real HTTP, as the seed's JMeter test: each user loops {@code GET /notes} then
 * {@code GET /notes/{id}} of an id from that list, back to back, on its own virtual thread. The number of users can
 * change at any time (the staircase); every request's latency and outcome go to a {@link LatencyRecorder}.
 *
 * <p>Each pair of reader routes is a service with its own traffic: the staircase's users are per pair, so a second
 * pair of functions doubles the users, as a second service with its own clients would.
 */
public final class LoadGenerator implements AutoCloseable {

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client;
    private final URI baseUrl;
    private final List<ReaderRoutes> routes;
    private final LatencyRecorder recorder;
    private final RequestSigner signer;
    private final List<VirtualUser> users = new ArrayList<>();

    public LoadGenerator(URI baseUrl, List<ReaderRoutes> routes, LatencyRecorder recorder) {
        this(baseUrl, routes, recorder, RequestSigner.UNSIGNED);
    }

    /** Users whose requests {@code signer} signs (a deployed API with IAM authorization). */
    public LoadGenerator(URI baseUrl, List<ReaderRoutes> routes, LatencyRecorder recorder, RequestSigner signer) {
        this.client = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(5))
                .executor(command -> Thread.ofVirtual().start(command))
                .build();
        this.baseUrl = baseUrl;
        this.routes = List.copyOf(routes);
        this.recorder = recorder;
        this.signer = signer;
    }

    /** Starts or stops users until {@code usersPerPair} are looping on every pair of reader routes. */
    public synchronized void setUsers(int usersPerPair) {
        int count = usersPerPair * routes.size();
        while (users.size() < count) {
            VirtualUser user = new VirtualUser(routes.get(users.size() % routes.size()));
            users.add(user);
            user.thread = Thread.ofVirtual().name("virtual-user-" + users.size()).start(user::loop);
        }
        while (users.size() > count) {
            users.removeLast().running.set(false);
        }
    }

    /** Users looping now, all pairs of routes together. */
    public synchronized int users() {
        return users.size();
    }

    /** Stops every user and waits for their requests in flight to finish. */
    @Override
    public void close() {
        List<VirtualUser> stopping;
        synchronized (this) {
            stopping = List.copyOf(users);
            setUsers(0);
        }
        for (VirtualUser user : stopping) {
            try {
                user.thread.join(REQUEST_TIMEOUT.plusSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        client.close();
    }

    private final class VirtualUser {
        private final ReaderRoutes routes;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private Thread thread;

        VirtualUser(ReaderRoutes routes) {
            this.routes = routes;
        }

        void loop() {
            while (running.get()) {
                String body = get(routes.listPath() + "?limit=20");
                String id = running.get() ? anyId(body) : null;
                if (id != null) {
                    get(routes.getPath() + "/" + id);
                }
            }
        }

        /** Sends one GET and records it; returns the body of a 2xx answer, else {@code null}. */
        private String get(String path) {
            HttpRequest request = signer.get(baseUrl.resolve(path), REQUEST_TIMEOUT);
            long started = System.nanoTime();
            try {
                HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
                RequestOutcome outcome = RequestOutcome.ofStatus(response.statusCode());
                recorder.record(System.nanoTime() - started, outcome);
                return outcome == RequestOutcome.OK ? response.body() : null;
            } catch (IOException e) {
                recorder.record(System.nanoTime() - started, RequestOutcome.OTHER);
                return null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running.set(false);
                return null;
            }
        }

        private static String anyId(String listBody) {
            if (listBody == null) {
                return null;
            }
            try {
                JsonNode notes = JSON.readTree(listBody).path("notes");
                if (notes.isEmpty()) {
                    return null;
                }
                return notes.get(ThreadLocalRandom.current().nextInt(notes.size())).path("id").asText(null);
            } catch (IOException e) {
                return null;
            }
        }
    }
}
