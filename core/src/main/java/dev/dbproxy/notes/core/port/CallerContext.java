package dev.dbproxy.notes.core.port;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import reactor.util.context.Context;
import reactor.util.context.ContextView;

/**
 * Who calls the repository and until when: the request id of the business invocation and the instant its answer is
 * due. A business function puts it into the Reactor context of its use case ({@code .contextWrite(caller::into)});
 * an adapter that forwards calls to another function (the Lambda proxy) passes it on, so that the far side stops
 * working once the caller has given up and logs under the caller's request id. Calls without one use the adapter's own
 * budget.
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
}
