package dev.dbproxy.examples.tasks.core;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import reactor.util.context.Context;
import reactor.util.context.ContextView;

/**
 * The invocation a repository call is made for: its request id and when its answer is due. A handler puts it into the
 * Reactor context ({@code .contextWrite(caller::into)}); the adapters stop working at the deadline, and the proxy
 * adapter passes both on to the DB proxy, whose log lines then carry the request id. It is the domain's own type, so
 * that handlers never name an adapter's or a client's.
 *
 * @param requestId the invocation's request id (Lambda's {@code awsRequestId}), not blank
 * @param deadline  when the caller stops waiting
 */
public record CallerContext(String requestId, Instant deadline) {

    private static final Class<CallerContext> KEY = CallerContext.class;

    public CallerContext {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(deadline, "deadline");
        if (requestId.isBlank()) {
            throw new IllegalArgumentException("requestId must not be blank");
        }
    }

    /** {@code context} with this caller in it, for {@code contextWrite}. */
    public Context into(Context context) {
        return context.put(KEY, this);
    }

    /** The caller a Reactor context carries, if a handler put one there. */
    public static Optional<CallerContext> from(ContextView context) {
        return context.getOrEmpty(KEY);
    }

    /** The time left until the deadline; zero or negative once it has passed. */
    public Duration remaining() {
        return Duration.between(Instant.now(), deadline);
    }

    /** The error of a call made after the deadline, which reaches no store. */
    public TransientTaskStoreException deadlinePassed(String operation) {
        return new TransientTaskStoreException(TransientTaskStoreException.Reason.TIMEOUT,
                "the caller's deadline passed before " + operation + " started; nothing was sent", null);
    }
}
