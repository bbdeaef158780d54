package dev.dbproxy.proxy.protocol;

import java.util.List;
import java.util.Objects;

/**
 * The proxy's answer: either every operation's outcome, or the rejection of the whole request.
 *
 * <p>The request id is the one the request carried, or an empty string when the request was too broken to read it.
 */
public sealed interface ProxyResponse {

    /** The request's id, or an empty string when it could not be read. */
    String requestId();

    /** How the proxy served the request. */
    ResponseMetadata metadata();

    /**
     * The batch was read and run: {@code outcomes.get(i)} belongs to the request's operation {@code i}.
     *
     * @param outcomes one per operation, same order as the request
     */
    record Completed(String requestId, List<OperationOutcome> outcomes, ResponseMetadata metadata)
            implements ProxyResponse {
        public Completed {
            Objects.requireNonNull(requestId, "requestId");
            outcomes = List.copyOf(outcomes);
            Objects.requireNonNull(metadata, "metadata");
        }
    }

    /**
     * The request as a whole was refused before any operation ran: malformed JSON, unsupported version, unknown
     * field, too many operations, too large.
     */
    record Rejected(String requestId, ProxyError error, ResponseMetadata metadata) implements ProxyResponse {
        public Rejected {
            Objects.requireNonNull(requestId, "requestId");
            Objects.requireNonNull(error, "error");
            Objects.requireNonNull(metadata, "metadata");
        }
    }
}
