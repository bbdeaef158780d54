package dev.dbproxy.lambda.platform.environment;

import java.util.Objects;

/**
 * One invocation handed to an environment.
 *
 * @param requestId          the request id the context reports
 * @param payload            the raw request payload (JSON)
 * @param deadlineNanos      {@link System#nanoTime()} at which the invocation times out, for the remaining time
 * @param clientContextJson  the decoded {@code X-Amz-Client-Context}, or an empty string when the caller sent none
 * @param log                where the context's logger writes
 */
public record InvocationInput(String requestId, byte[] payload, long deadlineNanos, String clientContextJson, InvocationLog log) {

    /** Checks the references. */
    public InvocationInput {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(clientContextJson, "clientContextJson");
        Objects.requireNonNull(log, "log");
    }
}
