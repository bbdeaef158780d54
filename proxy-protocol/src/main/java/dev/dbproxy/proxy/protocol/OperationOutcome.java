package dev.dbproxy.proxy.protocol;

import java.util.Objects;

/** What happened to one operation of a batch: it succeeded, failed, or was skipped. */
public sealed interface OperationOutcome {

    /** The operation ran and returned this result. */
    record Succeeded(OperationResult result) implements OperationOutcome {
        public Succeeded {
            Objects.requireNonNull(result, "result");
        }
    }

    /**
     * The operation failed (or was refused) with this error; a write may or may not have applied on a
     * {@code TIMEOUT}, or on a {@code DATABASE_UNAVAILABLE} whose message says so (the connection failed after it
     * was sent).
     */
    record Failed(ProxyError error) implements OperationOutcome {
        public Failed {
            Objects.requireNonNull(error, "error");
        }
    }

    /** The operation did not run because an earlier operation of an ordered batch failed. */
    record Skipped() implements OperationOutcome {
    }
}
