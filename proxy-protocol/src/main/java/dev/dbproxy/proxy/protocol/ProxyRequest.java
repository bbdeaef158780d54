package dev.dbproxy.proxy.protocol;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One invocation of the proxy: a batch of operations with the caller's request id and deadline.
 *
 * @param requestId        the caller's id for this request, echoed in the response and the proxy's log; 1 to
 *                         {@value #MAX_REQUEST_ID_LENGTH} characters
 * @param deadline         when the caller stops waiting (millisecond precision on the wire); the proxy gives up on
 *                         the batch by then and reports {@link ErrorCode#TIMEOUT}
 * @param ordered          {@code true}: operations run in order and the first failure skips the rest;
 *                         {@code false}: every operation runs, whatever happened to the others
 * @param extendedJsonMode how the proxy writes BSON values in the response
 * @param operations       the batch, at least one operation
 */
public record ProxyRequest(String requestId, Instant deadline, boolean ordered, ExtendedJsonMode extendedJsonMode,
                           List<ProxyOperation> operations) {

    /** The longest request id accepted. */
    public static final int MAX_REQUEST_ID_LENGTH = 128;

    public ProxyRequest {
        if (requestId == null || requestId.isBlank()) {
            throw new IllegalArgumentException("requestId must be a non-empty string");
        }
        if (requestId.length() > MAX_REQUEST_ID_LENGTH) {
            throw new IllegalArgumentException("requestId must be at most " + MAX_REQUEST_ID_LENGTH + " characters");
        }
        if (requestId.chars().anyMatch(Character::isISOControl)) {
            // The id goes into log lines: a line break in it could forge entries.
            throw new IllegalArgumentException("requestId must not contain control characters");
        }
        Objects.requireNonNull(deadline, "deadline");
        Objects.requireNonNull(extendedJsonMode, "extendedJsonMode");
        if (operations == null || operations.isEmpty()) {
            throw new IllegalArgumentException("operations must be a non-empty array");
        }
        operations = List.copyOf(operations);
    }

    /** A builder for an ordered batch with canonical Extended JSON in the response, unless told otherwise. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link ProxyRequest}; request id, deadline and at least one operation are required. */
    public static final class Builder {
        private String requestId;
        private Instant deadline;
        private boolean ordered = true;
        private ExtendedJsonMode extendedJsonMode = ExtendedJsonMode.CANONICAL;
        private final List<ProxyOperation> operations = new ArrayList<>();

        private Builder() {
        }

        /** The caller's id for the request, echoed back. */
        public Builder requestId(String requestId) {
            this.requestId = requestId;
            return this;
        }

        /** When the caller stops waiting. */
        public Builder deadline(Instant deadline) {
            this.deadline = deadline;
            return this;
        }

        /** Ordered (the default) stops at the first failure; unordered runs every operation. */
        public Builder ordered(boolean ordered) {
            this.ordered = ordered;
            return this;
        }

        /** How the proxy writes values in the response (canonical by default). */
        public Builder extendedJsonMode(ExtendedJsonMode extendedJsonMode) {
            this.extendedJsonMode = extendedJsonMode;
            return this;
        }

        /** Appends an operation; results come back at the same position. */
        public Builder add(ProxyOperation operation) {
            operations.add(Objects.requireNonNull(operation, "operation"));
            return this;
        }

        /** Appends operations in order. */
        public Builder addAll(List<? extends ProxyOperation> operations) {
            operations.forEach(this::add);
            return this;
        }

        /**
         * The request.
         *
         * @throws IllegalArgumentException when the request id is missing or too long, or there is no operation
         * @throws NullPointerException     when the deadline is missing
         */
        public ProxyRequest build() {
            return new ProxyRequest(requestId, deadline, ordered, extendedJsonMode, operations);
        }
    }
}
