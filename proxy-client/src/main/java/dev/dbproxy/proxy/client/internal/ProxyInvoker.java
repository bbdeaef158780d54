package dev.dbproxy.proxy.client.internal;

import dev.dbproxy.lambda.environment.ReopenableClient;
import dev.dbproxy.proxy.client.DbProxyException;
import dev.dbproxy.proxy.client.DbProxyException.Kind;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ThreadLocalRandom;
import reactor.core.publisher.Mono;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.InvokeRequest;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.LambdaException;
import software.amazon.awssdk.services.lambda.model.RequestTooLargeException;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;
import software.amazon.awssdk.services.lambda.model.TooManyRequestsException;

/**
 * Invokes the proxy function and turns every way an invocation can fail into a {@link DbProxyException}.
 *
 * <p>Only throttles are retried: Lambda refuses a throttled invocation before running anything, so retrying it can
 * never run an operation twice. Retries back off with decorrelated jitter (each wait drawn between the first wait and
 * three times the previous one, at most {@link #MAX_BACKOFF}), so that the callers a full proxy refused spread out
 * instead of coming back together, and go on while the caller's deadline allows (or up to the attempts configured):
 * a wait that would leave too little time is cut short, so that one last attempt starts while
 * {@link #LAST_ATTEMPT_TIME} remain. The
 * {@code THROTTLED} error that ends them carries Lambda's {@code Retry-After} as its hint.
 * A function error (the proxy crashed or timed out) and a transport failure are reported as
 * {@code UNAVAILABLE}/{@code TIMEOUT} without retrying, because the operation may have run. No invocation is waited
 * for past the deadline (plus {@link #ANSWER_GRACE} for the proxy's answer to travel back; the proxy stops working
 * before the deadline) nor past the invoke timeout: either ends it as a {@code TIMEOUT}.
 *
 * <p>Each invocation holds the Lambda client (a lease) until it ends, so that a SnapStart checkpoint never closes the
 * client under it; the first invocation after a checkpoint builds the client again.
 */
final class ProxyInvoker {

    static final Duration FIRST_BACKOFF = Duration.ofMillis(25);
    static final Duration MAX_BACKOFF = Duration.ofMillis(800);
    private static final long DEFAULT_RETRY_AFTER_SECONDS = 1;
    private static final Duration RETRY_AFTER = Duration.ofSeconds(DEFAULT_RETRY_AFTER_SECONDS);
    /**
     * How long after the deadline an answer may still arrive: the proxy stops 20 ms before it to answer in time, and
     * a large answer or a busy machine may need more.
     */
    static final Duration ANSWER_GRACE = Duration.ofMillis(100);
    /**
     * The least time a retry is started with: an attempt with less would be served too late to answer and end as a
     * {@code TIMEOUT} (for a write, one that may have applied) where giving up leaves a clean {@code THROTTLED}.
     */
    static final Duration LAST_ATTEMPT_TIME = Duration.ofMillis(200);

    private final ReopenableClient<ProxyLambdaClient> lambda;
    private final String functionName;
    private final int maxAttempts;
    private final Duration invokeTimeout;
    private final ClientCounters counters;

    ProxyInvoker(ReopenableClient<ProxyLambdaClient> lambda, String functionName, int maxAttempts, Duration invokeTimeout,
            ClientCounters counters) {
        this.lambda = lambda;
        this.functionName = functionName;
        this.maxAttempts = maxAttempts;
        this.invokeTimeout = invokeTimeout;
        this.counters = counters;
    }

    /**
     * Emits the proxy's response payload, or fails with a {@link DbProxyException}.
     *
     * @param writes whether the request holds a write: then an invocation that may have run and brought no answer
     *               says the write {@linkplain DbProxyException#mayHaveApplied() may have applied}
     */
    Mono<byte[]> invoke(byte[] payload, Instant deadline, boolean writes) {
        return attempt(SdkBytes.fromByteArrayUnsafe(payload), deadline, writes, 1, FIRST_BACKOFF);
    }

    /**
     * A {@code DryRun} invocation of the proxy function: Lambda checks that it exists and that this caller may invoke
     * it, without running it. It takes the client's whole request path (signing, the HTTP connection to the endpoint),
     * so a first real invocation finds it loaded and connected. Completes empty, whatever the outcome.
     */
    Mono<Void> dryRun() {
        InvokeRequest request = InvokeRequest.builder()
                .functionName(functionName)
                .invocationType(InvocationType.DRY_RUN)
                .build();
        return invokeHolding(request)
                .then()
                .onErrorResume(error -> Mono.empty());
    }

    private Mono<byte[]> attempt(SdkBytes payload, Instant deadline, boolean writes, int attempt,
            Duration previousBackoff) {
        return Mono.defer(() -> {
            Duration left = Duration.between(Instant.now(), deadline);
            if (!left.isPositive()) {
                return Mono.error(DbProxyException.invocationFailed(Kind.TIMEOUT,
                        "proxy function " + functionName + " not invoked: the deadline has passed", false, null));
            }
            Duration wait = left.plus(ANSWER_GRACE);
            Duration timeout = wait.compareTo(invokeTimeout) < 0 ? wait : invokeTimeout;
            InvokeRequest request = InvokeRequest.builder()
                    .functionName(functionName)
                    .invocationType(InvocationType.REQUEST_RESPONSE)
                    .payload(payload)
                    .overrideConfiguration(configuration -> configuration
                            .apiCallTimeout(timeout)
                            .apiCallAttemptTimeout(timeout))
                    .build();
            return invokeHolding(request);
        })
                .map(response -> payloadOf(response, writes))
                .onErrorResume(error -> {
                    Throwable cause = unwrap(error);
                    if (!(cause instanceof TooManyRequestsException throttle)) {
                        return Mono.error(toProxyException(cause, writes));
                    }
                    counters.throttles.increment();
                    Duration backoff = backoff(previousBackoff);
                    Optional<Duration> wait = waitBeforeRetry(backoff, Duration.between(Instant.now(), deadline));
                    if (attempt >= maxAttempts || wait.isEmpty()) {
                        return Mono.error(DbProxyException.throttled(
                                "proxy function " + functionName + " is throttled", retryAfter(throttle), cause));
                    }
                    counters.throttleRetries.increment();
                    return Mono.delay(wait.get())
                            .then(Mono.defer(() -> attempt(payload, deadline, writes, attempt + 1, backoff)));
                });
    }

    /** Invokes with the Lambda client held from the request's start until its response or failure. */
    private Mono<InvokeResponse> invokeHolding(InvokeRequest request) {
        return Mono.using(lambda::lease, lease -> Mono.fromFuture(() -> lease.client().lambda().invoke(request)),
                ReopenableClient.Lease::close);
    }

    private byte[] payloadOf(InvokeResponse response, boolean writes) {
        if (response.functionError() != null) {
            String detail = response.payload() == null ? "" : response.payload().asUtf8String();
            Kind kind = detail.contains("Task timed out") ? Kind.TIMEOUT : Kind.UNAVAILABLE;
            throw DbProxyException.invocationFailed(kind,
                    "proxy function " + functionName + " failed (" + response.functionError() + ")", writes, null);
        }
        return response.payload().asByteArrayUnsafe();
    }

    private DbProxyException toProxyException(Throwable cause, boolean writes) {
        if (cause instanceof DbProxyException proxy) {
            return proxy;
        }
        if (cause instanceof ResourceNotFoundException) {
            return DbProxyException.permanent("proxy function " + functionName + " does not exist", cause);
        }
        if (cause instanceof RequestTooLargeException) {
            return DbProxyException.permanent("request to the proxy function is over Lambda's payload limit", cause);
        }
        if (cause instanceof ApiCallTimeoutException || cause instanceof ApiCallAttemptTimeoutException) {
            return DbProxyException.invocationFailed(Kind.TIMEOUT,
                    "proxy function " + functionName + " did not answer in time", writes, cause);
        }
        if (cause instanceof LambdaException service && service.statusCode() >= 500
                || cause instanceof SdkClientException) {
            return DbProxyException.invocationFailed(Kind.UNAVAILABLE,
                    "proxy function " + functionName + " is unreachable", writes, cause);
        }
        return DbProxyException.permanent("invoking proxy function " + functionName + " failed", cause);
    }

    /**
     * The wait Lambda advises in its throttle ({@code Retry-After}, whole seconds), or
     * {@value #DEFAULT_RETRY_AFTER_SECONDS} second when it gives none that can be read.
     */
    static Duration retryAfter(TooManyRequestsException throttle) {
        String seconds = throttle.retryAfterSeconds() == null ? "" : throttle.retryAfterSeconds().strip();
        return seconds.matches("[1-9]\\d{0,3}") ? Duration.ofSeconds(Integer.parseInt(seconds)) : RETRY_AFTER;
    }

    /**
     * How long to wait before the next attempt, or empty when none is worth making: the backoff, shortened
     * when it would leave the attempt less than {@link #LAST_ATTEMPT_TIME} before the deadline, so that a last
     * attempt still starts in time (a proxy environment freed in the meantime then serves the call instead of a
     * refusal reaching the user).
     */
    static Optional<Duration> waitBeforeRetry(Duration backoff, Duration left) {
        Duration latest = left.minus(LAST_ATTEMPT_TIME);
        if (!latest.isPositive()) {
            return Optional.empty();
        }
        return Optional.of(backoff.compareTo(latest) < 0 ? backoff : latest);
    }

    /** Decorrelated jitter: a wait between the first one and three times the previous one, capped. */
    static Duration backoff(Duration previous) {
        long ceiling = Math.min(MAX_BACKOFF.toMillis(), 3 * previous.toMillis());
        long floor = FIRST_BACKOFF.toMillis();
        return Duration.ofMillis(ceiling <= floor ? floor : ThreadLocalRandom.current().nextLong(floor, ceiling + 1));
    }

    private static Throwable unwrap(Throwable error) {
        Throwable current = error;
        while (current instanceof CompletionException && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }
}
