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

    /** The protocol version of the response: the request's (1 when it could not be read). */
    int version();

    /**
     * The batch was read and run: {@code outcomes.get(i)} belongs to the request's operation {@code i}.
     *
     * @param outcomes one per operation, same order as the request
     * @param version  the request's protocol version
     */
    record Completed(String requestId, List<OperationOutcome> outcomes, ResponseMetadata metadata, int version)
            implements ProxyResponse {
        public Completed {
            Objects.requireNonNull(requestId, "requestId");
            outcomes = List.copyOf(outcomes);
            Objects.requireNonNull(metadata, "metadata");
            checkVersion(version);
        }

        /** A version 1 response. */
        public Completed(String requestId, List<OperationOutcome> outcomes, ResponseMetadata metadata) {
            this(requestId, outcomes, metadata, ProxyJsonCodec.PROTOCOL_VERSION);
        }
    }

    /**
     * The request as a whole was refused before any operation ran: malformed JSON, unsupported version, unknown
     * field, too many operations, too large.
     */
    record Rejected(String requestId, ProxyError error, ResponseMetadata metadata, int version)
            implements ProxyResponse {
        public Rejected {
            Objects.requireNonNull(requestId, "requestId");
            Objects.requireNonNull(error, "error");
            Objects.requireNonNull(metadata, "metadata");
            checkVersion(version);
        }

        /** A version 1 response. */
        public Rejected(String requestId, ProxyError error, ResponseMetadata metadata) {
            this(requestId, error, metadata, ProxyJsonCodec.PROTOCOL_VERSION);
        }
    }

    private static void checkVersion(int version) {
        if (version != ProxyJsonCodec.PROTOCOL_VERSION && version != ProxyJsonCodec.PROTOCOL_VERSION_2) {
            throw new IllegalArgumentException("version must be 1 or 2, was " + version);
        }
    }
}
