package dev.dbproxy.notes.sample;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.dbproxy.lambda.environment.FunctionEnvironment;
import dev.dbproxy.lambda.environment.JsonLogLine;
import dev.dbproxy.lambda.environment.SnapStartHooks;
import dev.dbproxy.notes.core.domain.NoteId;
import dev.dbproxy.notes.core.error.TransientFailureException;
import dev.dbproxy.notes.core.port.CallerContext;
import dev.dbproxy.notes.core.port.NoteRepository;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import reactor.core.publisher.Mono;

/**
 * What every notes function over the HTTP API (payload format 2.0) shares: it runs its use case within the
 * invocation's remaining time, maps errors to HTTP statuses ({@link HttpResponses}), and writes one structured JSON
 * log line per request ({@link JsonLogLine}: route, status, duration, strategy, cold start, and for a 5xx the error's
 * cause chain with credentials hidden) for CloudWatch Logs Insights.
 *
 * <p>Subclasses have two constructors: a public no-argument one for the Lambda runtime, which builds the repository
 * once per execution environment from {@code NOTES_REPOSITORY}, and one taking the repository, for tests.
 *
 * <p>One function object is safe for many invocations at once, as Lambda Managed Instances run them on threads that
 * share it: an invocation's request id, deadline and log line come from its own {@code Context} and travel in its own
 * Reactor context ({@link CallerContext}), never in a field; the fields are the shared repository, immutable
 * settings and a cold-start flag that exactly one invocation reports.
 */
public abstract class NotesHttpFunction
        implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>, AutoCloseable {

    /** Largest request body accepted; a note's fields need far less. */
    public static final int MAX_BODY_BYTES = 64 * 1024;

    private static final Duration RESPONSE_MARGIN = Duration.ofMillis(300);
    private static final Duration MIN_BUDGET = Duration.ofSeconds(1);

    private final String route;
    private final NoteRepository notes;
    private final String strategy;
    private final Clock clock;
    /** Set by the one invocation that reports the cold start, even when several start at once. */
    private final AtomicBoolean coldStart = new AtomicBoolean(true);

    protected NotesHttpFunction(String route, NotesFunctionConfiguration configuration, Clock clock) {
        this.route = Objects.requireNonNull(route, "route");
        this.notes = configuration.repository();
        this.strategy = configuration.strategy();
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The use case of this function: the response for a well-formed request, or an error to map. */
    protected abstract Mono<APIGatewayV2HTTPResponse> respond(APIGatewayV2HTTPEvent event, NoteRepository notes,
            Clock clock);

    @Override
    public final APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return handle(event, context, coldStart.getAndSet(false));
    }

    /**
     * In an init that ends in a SnapStart snapshot, runs one request through the whole handler (the use case, the
     * repository's client, the JSON answer, the log line, which goes nowhere) so that the snapshot holds that path
     * loaded and compiled and a restored environment's first request does not pay for it. The request reads (a note
     * no one has, the first page) or is refused before the repository (writes), so it changes nothing; it is not the
     * cold start. Called by the runtime's constructor of each function, after the repository's warm-up; elsewhere it
     * does nothing, so that on-demand cold starts do not each cost a database or proxy call.
     */
    protected final void primeForSnapshot() {
        primeForSnapshot(FunctionEnvironment.variables());
    }

    /** As {@link #primeForSnapshot()}, in an environment with the variables {@code environment}. */
    final void primeForSnapshot(Map<String, String> environment) {
        if (!SnapStartHooks.initializedForSnapshot(environment)) {
            return;
        }
        try {
            handle(primingRequest(), PrimingContext.INSTANCE, false);
        } catch (RuntimeException ignored) {
            // priming is best effort: whatever it did not load, the first request loads
        }
    }

    /**
     * The priming request of this route: a read of a random note id for {@code GET}, and for the writes a request
     * without a body, refused before it reaches the repository.
     */
    private APIGatewayV2HTTPEvent primingRequest() {
        String method = route.substring(0, route.indexOf(' '));
        String path = route.substring(route.indexOf(' ') + 1);
        String id = method.equals("GET") ? NoteId.generate().value() : "priming";
        APIGatewayV2HTTPEvent.RequestContext.Http http = new APIGatewayV2HTTPEvent.RequestContext.Http();
        http.setMethod(method);
        http.setPath(path.replace("{id}", id));
        APIGatewayV2HTTPEvent.RequestContext requestContext = new APIGatewayV2HTTPEvent.RequestContext();
        requestContext.setHttp(http);
        requestContext.setRequestId("snapstart-priming");
        APIGatewayV2HTTPEvent event = new APIGatewayV2HTTPEvent();
        event.setVersion("2.0");
        event.setRouteKey(route);
        event.setRawPath(http.getPath());
        event.setRequestContext(requestContext);
        event.setHeaders(Map.of("accept", "application/json"));
        if (path.contains("{id}")) {
            event.setPathParameters(Map.of("id", id));
        }
        return event;
    }

    private APIGatewayV2HTTPResponse handle(APIGatewayV2HTTPEvent event, Context context, boolean cold) {
        long started = System.nanoTime();
        APIGatewayV2HTTPResponse response;
        RuntimeException failure = null;
        try {
            response = respond(event, notes, clock)
                    .timeout(budget(context))
                    .onErrorMap(TimeoutException.class, timeout -> new TransientFailureException(
                            TransientFailureException.Reason.TIMEOUT, route + " ran out of time",
                            Duration.ofSeconds(1), timeout))
                    .contextWrite(caller(context)::into)
                    .block();
        } catch (RejectedRequestException rejected) {
            response = HttpResponses.invalid(rejected.status(), rejected.title(), rejected.field(), rejected.getMessage());
        } catch (RuntimeException error) {
            failure = error;
            response = HttpResponses.forError(error, context.getAwsRequestId());
        }
        log(context, response.getStatusCode(), Duration.ofNanos(System.nanoTime() - started), cold, failure);
        return response;
    }

    /** Closes the repository (its connections) when the execution environment shuts down gracefully. */
    @Override
    public void close() {
        notes.close();
    }

    /** The path parameter {@code name}, or {@code null} when the route has none. */
    protected static String pathParameter(APIGatewayV2HTTPEvent event, String name) {
        Map<String, String> parameters = event.getPathParameters();
        return parameters == null ? null : parameters.get(name);
    }

    /** The query parameter {@code name}, or {@code null} when absent. */
    protected static String queryParameter(APIGatewayV2HTTPEvent event, String name) {
        Map<String, String> parameters = event.getQueryStringParameters();
        return parameters == null ? null : parameters.get(name);
    }

    /**
     * The request body as JSON text, decoded from base64 when API Gateway encoded it.
     *
     * @throws RejectedRequestException 415 unless the content type is JSON, 413 when over {@link #MAX_BODY_BYTES}
     */
    protected static String jsonBody(APIGatewayV2HTTPEvent event) {
        String contentType = header(event, "content-type");
        // The media type before any parameter (charset), exactly: application/jsonp or application/json-seq are not.
        if (contentType == null || !contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT)
                .equals("application/json")) {
            throw new RejectedRequestException(415, "Unsupported media type", "Content-Type",
                    "must be application/json");
        }
        String body = event.getBody() == null ? "" : event.getBody();
        if (body.length() > MAX_BODY_BYTES * 2) {
            throw tooLarge();
        }
        byte[] bytes;
        try {
            bytes = event.getIsBase64Encoded()
                    ? Base64.getDecoder().decode(body)
                    : body.getBytes(StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new RejectedRequestException(400, "Invalid input", "body", "is not valid base64");
        }
        if (bytes.length > MAX_BODY_BYTES) {
            throw tooLarge();
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new RejectedRequestException(400, "Invalid input", "body", "is not valid UTF-8");
        }
    }

    /** The location of the resource {@code id} below the path this request was sent to. */
    protected static String locationOf(APIGatewayV2HTTPEvent event, String id) {
        String path = event.getRawPath() == null ? "/notes" : event.getRawPath();
        return (path.endsWith("/") ? path : path + "/") + id;
    }

    private static RejectedRequestException tooLarge() {
        return new RejectedRequestException(413, "Content too large", "body",
                "must be at most " + MAX_BODY_BYTES + " bytes");
    }

    /** The value of the request header {@code name} (any case), or {@code null} when absent. */
    protected static String header(APIGatewayV2HTTPEvent event, String name) {
        if (event.getHeaders() == null) {
            return null;
        }
        return event.getHeaders().entrySet().stream()
                .filter(entry -> entry.getKey().equalsIgnoreCase(name))
                .map(Map.Entry::getValue)
                .findFirst()
                .orElse(null);
    }

    /**
     * This invocation as the repository's caller: its request id, and when it must stop waiting to answer in time, on
     * the wall clock (not the use cases' clock) and without the floor {@link #budget} gives a nearly spent invocation,
     * so that a proxy behind the repository never works past the invocation's end.
     */
    private static CallerContext caller(Context context) {
        String requestId = context.getAwsRequestId();
        return new CallerContext(requestId == null || requestId.isBlank() ? "unknown" : requestId,
                Instant.now().plusMillis(context.getRemainingTimeInMillis()).minus(RESPONSE_MARGIN));
    }

    /**
     * How long the use case may run: until half the response margin before the invocation's end, later than the
     * caller's deadline (the whole margin, {@link #caller}), so that the repository's own answer at its deadline (a
     * proxy call's arrives up to 100 ms after it: a throttled call's last refusal) reaches the user as what it is, not
     * as this timeout.
     */
    private static Duration budget(Context context) {
        Duration remaining = Duration.ofMillis(context.getRemainingTimeInMillis()).minus(RESPONSE_MARGIN.dividedBy(2));
        return remaining.compareTo(MIN_BUDGET) < 0 ? MIN_BUDGET : remaining;
    }

    /**
     * The request's {@link JsonLogLine}: {@code ERROR} with the error's cause chain (credentials hidden) for a 5xx, so
     * that the request id of a 500 leads to what failed; {@code INFO} with only the error's type otherwise.
     */
    private void log(Context context, int status, Duration duration, boolean cold, RuntimeException failure) {
        boolean serverError = status >= 500;
        JsonLogLine line = JsonLogLine.of(serverError ? JsonLogLine.Level.ERROR : JsonLogLine.Level.INFO,
                        route + " answered " + status)
                .string("requestId", context.getAwsRequestId())
                .string("type", "request")
                .string("function", context.getFunctionName())
                .string("route", route)
                .number("status", status)
                .number("durationMs", duration.toNanos() / 1_000_000.0)
                .string("strategy", strategy)
                .bool("coldStart", cold);
        if (failure != null && serverError) {
            line.causes(failure);
        } else if (failure != null) {
            line.string("errorType", failure.getClass().getSimpleName());
        }
        context.getLogger().log(line.toString());
    }
}
