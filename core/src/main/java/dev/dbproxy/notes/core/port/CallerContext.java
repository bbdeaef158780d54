package dev.dbproxy.notes.core.port;

import dev.dbproxy.notes.core.error.TransientFailureException;
import dev.dbproxy.notes.core.error.TransientFailureException.Reason;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import reactor.util.context.Context;
import reactor.util.context.ContextView;

/**
 * Who calls the repository and until when: the request id of the business invocation and the instant its answer is
 * due. A business function puts it into the Reactor context of its use case ({@code .contextWrite(caller::into)}).
 * Every adapter honours the deadline (see {@link NoteRepository}): a call made after it fails at once with
 * {@link #deadlinePassed(String)}, and a call in flight is bounded by it, so that the store stops working once the
 * caller has given up; an adapter that forwards calls to another function (the Lambda proxy) also passes the request
 * id on, so that the far side logs under it. Calls without one use the adapter's own budget.
 *
 * @param requestId the business invocation's request id (Lambda's {@code awsRequestId}), not blank
 * @param deadline  when the caller stops waiting for the answer
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

    /** {@code context} with this caller in it, for {@code Mono.contextWrite}. */
    public Context into(Context context) {
        return context.put(KEY, this);
    }

    /** The caller a Reactor context carries, if a business function put one there. */
    public static Optional<CallerContext> from(ContextView context) {
        return context.getOrEmpty(KEY);
    }

    /** The time left until the deadline, zero or negative once it has passed. */
    public Duration remaining() {
        return Duration.between(Instant.now(), deadline);
    }

    /** Whether the deadline has passed, so that a call made now would be answered to nobody. */
    public boolean expired() {
        return !remaining().isPositive();
    }

    /**
     * The error of a repository call made after the caller's deadline, which reaches no store. Transient, with no
     * wait advised: the same call under a new deadline may well succeed at once.
     *
     * @param operation the repository call, such as {@code "findById"}
     */
    public TransientFailureException deadlinePassed(String operation) {
        return new TransientFailureException(Reason.TIMEOUT, "the caller's deadline passed before " + operation
                + " started; nothing was sent to the store", Duration.ZERO, null);
    }
}
