package dev.dbproxy.proxy.client;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import reactor.util.context.Context;
import reactor.util.context.ContextView;

/**
 * The invocation a call is made for: its request id and when its answer is due. A Lambda handler puts it into the
 * Reactor context of its work ({@code .contextWrite(InvocationContext.of(context.getAwsRequestId(),
 * context.getRemainingTimeInMillis())::into)}); every call of {@link DbProxyClient} then travels with that deadline
 * (instead of the client's own budget, {@link DbProxySettings#deadline()}, which only calls outside an invocation
 * get), retries a throttled proxy until shortly before it, and leads its proxy request id with that
 * request id, so that the proxy stops working once the caller has given up and its log lines lead back to the
 * invocation. Calls of different invocations share a proxy invocation only with
 * {@link DbProxySettings#coalesceAcrossInvocations()}, each operation then with its own deadline and request id. A
 * call made after the deadline fails at once with a {@link DbProxyException.Kind#TIMEOUT} and sends nothing.
 *
 * @param requestId the calling invocation's request id (Lambda's {@code awsRequestId}), not blank
 * @param deadline  when the caller stops waiting
 */
public record InvocationContext(String requestId, Instant deadline) {

    private static final Class<InvocationContext> KEY = InvocationContext.class;

    public InvocationContext {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(deadline, "deadline");
        if (requestId.isBlank()) {
            throw new IllegalArgumentException("requestId must not be blank");
        }
    }

    /** The invocation whose remaining time, as Lambda's {@code Context.getRemainingTimeInMillis()} gives it, is that. */
    public static InvocationContext of(String requestId, long remainingMillis) {
        return new InvocationContext(requestId, Instant.now().plusMillis(remainingMillis));
    }

    /** {@code context} with this invocation in it, for {@code Mono.contextWrite}. */
    public Context into(Context context) {
        return context.put(KEY, this);
    }

    /** The invocation a Reactor context carries, if a handler put one there. */
    public static Optional<InvocationContext> from(ContextView context) {
        return context.getOrEmpty(KEY);
    }

    /** Whether the deadline has passed, so that a call made now would be answered to nobody. */
    public boolean expired() {
        return !Duration.between(Instant.now(), deadline).isPositive();
    }
}
