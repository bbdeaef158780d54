package dev.dbproxy.proxy.protocol;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One invocation of the proxy: a batch of operations with the sender's request id and deadline.
 *
 * <p>A version 1 request ({@code callers} empty) is one caller's: every operation runs within the request's deadline
 * and is logged under its request id. A version 2 request ({@code callers} not empty, one per operation) carries the
 * operations of several callers: each operation runs within its own caller's deadline, and the request's deadline is
 * the latest of them (see {@code PROTOCOL.md}, Version 2).
 *
 * @param requestId        the sender's id for this request, echoed in the response and the proxy's log; 1 to
 *                         {@value #MAX_REQUEST_ID_LENGTH} characters
 * @param deadline         when the sender stops waiting (millisecond precision on the wire); the proxy gives up on
 *                         the batch by then and reports {@link ErrorCode#TIMEOUT}
 * @param ordered          {@code true}: operations run in order and the first failure skips the rest;
 *                         {@code false}: every operation runs, whatever happened to the others
 * @param extendedJsonMode how the proxy writes BSON values in the response
 * @param operations       the batch, at least one operation
 * @param callers          empty for version 1; for version 2 the caller of each operation, at the same positions,
 *                         none with a deadline later than {@code deadline}
 */
public record ProxyRequest(String requestId, Instant deadline, boolean ordered, ExtendedJsonMode extendedJsonMode,
                           List<ProxyOperation> operations, List<OperationCaller> callers) {

    /** The longest request id accepted. */
    public static final int MAX_REQUEST_ID_LENGTH = 128;

    public ProxyRequest {
        checkRequestId(requestId, "requestId");
        Objects.requireNonNull(deadline, "deadline");
        Objects.requireNonNull(extendedJsonMode, "extendedJsonMode");
        if (operations == null || operations.isEmpty()) {
            throw new IllegalArgumentException("operations must be a non-empty array");
        }
        operations = List.copyOf(operations);
        callers = List.copyOf(Objects.requireNonNull(callers, "callers"));
        if (!callers.isEmpty() && callers.size() != operations.size()) {
            throw new IllegalArgumentException("callers must name one caller per operation: " + callers.size()
                    + " callers for " + operations.size() + " operations");
        }
        for (int i = 0; i < callers.size(); i++) {
            if (callers.get(i).deadline().isAfter(deadline)) {
                throw new IllegalArgumentException(laterDeadline(i));
            }
        }
    }

    /** A version 1 request: every operation is the sender's own. */
    public ProxyRequest(String requestId, Instant deadline, boolean ordered, ExtendedJsonMode extendedJsonMode,
                        List<ProxyOperation> operations) {
        this(requestId, deadline, ordered, extendedJsonMode, operations, List.of());
    }

    /** The protocol version the request is written in: 2 when it names its operations' callers, else 1. */
    public int version() {
        return callers.isEmpty() ? ProxyJsonCodec.PROTOCOL_VERSION : ProxyJsonCodec.PROTOCOL_VERSION_2;
    }

    /** The caller of operation {@code index}: its own in version 2, the request's id and deadline in version 1. */
    public OperationCaller callerOf(int index) {
        return callers.isEmpty() ? new OperationCaller(requestId, deadline) : callers.get(index);
    }

    static String laterDeadline(int index) {
        return "operations[" + index + "].deadlineEpochMillis is later than the request's deadlineEpochMillis;"
                + " the request's deadline must be the latest of its operations'";
    }

    /**
     * Refuses an id that is blank, longer than {@value #MAX_REQUEST_ID_LENGTH} characters or holds a control
     * character (ids go into log lines: a line break in one could forge entries).
     *
     * @throws IllegalArgumentException whose message starts with {@code field}
     */
    static void checkRequestId(String id, String field) {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException(field + " must be a non-empty string");
        }
        if (id.length() > MAX_REQUEST_ID_LENGTH) {
            throw new IllegalArgumentException(field + " must be at most " + MAX_REQUEST_ID_LENGTH + " characters");
        }
        if (id.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException(field + " must not contain control characters");
        }
    }

    /** A builder for an ordered batch with canonical Extended JSON in the response, unless told otherwise. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Builds a {@link ProxyRequest}; request id, deadline and at least one operation are required. Operations added
     * with their caller make it a version 2 request; there the deadline may be left out (it is then the latest of the
     * callers'), and an operation added without a caller belongs to the request's own id and deadline.
     */
    public static final class Builder {
        private String requestId;
        private Instant deadline;
        private boolean ordered = true;
        private ExtendedJsonMode extendedJsonMode = ExtendedJsonMode.CANONICAL;
        private final List<ProxyOperation> operations = new ArrayList<>();
        /** Parallel to {@link #operations}; {@code null} where an operation was added without its caller. */
        private final List<OperationCaller> callers = new ArrayList<>();
        private boolean namesCallers;

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
            callers.add(null);
            return this;
        }

        /** Appends an operation of {@code caller}'s (version 2); its result comes back at the same position. */
        public Builder add(ProxyOperation operation, OperationCaller caller) {
            operations.add(Objects.requireNonNull(operation, "operation"));
            callers.add(Objects.requireNonNull(caller, "caller"));
            namesCallers = true;
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
         * @throws IllegalArgumentException when the request id is missing or too long, there is no operation, or a
         *                                  caller's deadline is later than the request's
         * @throws NullPointerException     when the deadline is missing (and no operation names its caller)
         */
        public ProxyRequest build() {
            if (!namesCallers) {
                return new ProxyRequest(requestId, deadline, ordered, extendedJsonMode, operations);
            }
            Instant until = deadline != null ? deadline : callers.stream().filter(Objects::nonNull)
                    .map(OperationCaller::deadline).max(Instant::compareTo).orElseThrow();
            List<OperationCaller> named = callers.stream()
                    .map(caller -> caller != null ? caller : new OperationCaller(requestId, until))
                    .toList();
            return new ProxyRequest(requestId, until, ordered, extendedJsonMode, operations, named);
        }
    }
}
