package dev.dbproxy.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The notes routes of one strategy ({@code /direct/notes} or {@code /proxy/notes}) over real HTTP, as a client of the
 * local API gateway sees them. Thread-safe; one instance per strategy is shared by every virtual user.
 */
final class NotesApi {

    /** How long one request may take: above the business functions' 10 s timeout, so a hang shows as a hang. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final URI notes;
    private final String strategy;

    private NotesApi(HttpClient http, URI baseUrl, String strategy) {
        this.http = http;
        this.notes = URI.create(baseUrl.toString().replaceAll("/$", "") + "/" + strategy + "/notes");
        this.strategy = strategy;
    }

    /** The routes of {@code strategy} ("direct" or "proxy") below the gateway's base URL. */
    static NotesApi of(HttpClient http, URI baseUrl, String strategy) {
        return new NotesApi(http, baseUrl, strategy);
    }

    /** An HTTP/1.1 client suited to many concurrent virtual users. */
    static HttpClient newHttpClient() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }

    String strategy() {
        return strategy;
    }

    /** {@code POST /notes} with a title and a description. */
    ApiResponse create(String title, String description) {
        return send(HttpRequest.newBuilder(notes).header("Content-Type", "application/json").POST(jsonBody(title, description)));
    }

    /** {@code GET /notes/{id}}. */
    ApiResponse get(String id) {
        return send(HttpRequest.newBuilder(noteUri(id)).GET());
    }

    /** {@code GET /notes}: the newest page. */
    ApiResponse list() {
        return send(HttpRequest.newBuilder(notes).GET());
    }

    /** {@code PUT /notes/{id}} changing the description only. */
    ApiResponse updateDescription(String id, String description) {
        return send(HttpRequest.newBuilder(noteUri(id)).header("Content-Type", "application/json")
                .PUT(jsonBody(null, description)));
    }

    /** {@code DELETE /notes/{id}}. */
    ApiResponse delete(String id) {
        return send(HttpRequest.newBuilder(noteUri(id)).DELETE());
    }

    /** Any request below the notes route: {@code pathSuffix} is appended verbatim (it may hold %-escapes). */
    ApiResponse raw(String method, String pathSuffix, byte[] body, String contentType) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(notes + pathSuffix))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return send(request);
    }

    private URI noteUri(String id) {
        return URI.create(notes + "/" + URLEncoder.encode(id, StandardCharsets.UTF_8));
    }

    private static HttpRequest.BodyPublisher jsonBody(String title, String description) {
        var body = JSON.createObjectNode();
        if (title != null) {
            body.put("title", title);
        }
        body.put("description", description);
        return HttpRequest.BodyPublishers.ofString(body.toString());
    }

    private ApiResponse send(HttpRequest.Builder request) {
        HttpRequest built = request.timeout(REQUEST_TIMEOUT).build();
        long started = System.nanoTime();
        try {
            HttpResponse<String> response = http.send(built, HttpResponse.BodyHandlers.ofString());
            return new ApiResponse(response.statusCode(), response.body(),
                    response.headers().firstValue("Retry-After").orElse(null),
                    response.headers().firstValue("Content-Type").orElse(""), System.nanoTime() - started);
        } catch (IOException e) {
            return ApiResponse.transportFailure(e, System.nanoTime() - started);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ApiResponse.transportFailure(e, System.nanoTime() - started);
        }
    }

    /**
     * One HTTP answer; status 0 when no answer came (connection refused or reset, timeout).
     *
     * @param retryAfter the {@code Retry-After} header, or null
     */
    record ApiResponse(int status, String body, String retryAfter, String contentType, long durationNanos) {

        static ApiResponse transportFailure(Exception error, long durationNanos) {
            return new ApiResponse(0, error.toString(), null, "", durationNanos);
        }

        /** The body as JSON. */
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON (status " + status + "): " + body, e);
            }
        }

        /** Whether this is a throttle or an outage answered as the API documents: 429 or 503 with {@code Retry-After}. */
        boolean isDocumentedRetryLater() {
            return (status == 429 || status == 503) && retryAfter != null && retryAfter.chars().allMatch(Character::isDigit)
                    && !retryAfter.isEmpty();
        }

        /** Whether the body is an RFC 9457 problem document carrying this status. */
        boolean isProblem() {
            if (!contentType.startsWith("application/problem+json")) {
                return false;
            }
            try {
                return JSON.readTree(body).path("status").asInt() == status;
            } catch (IOException e) {
                return false;
            }
        }
    }
}
