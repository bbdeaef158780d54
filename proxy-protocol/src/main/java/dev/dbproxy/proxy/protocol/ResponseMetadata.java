package dev.dbproxy.proxy.protocol;

import java.util.Objects;

/**
 * Facts about how the proxy served a request, for measuring.
 *
 * @param coldStart     whether this was the first request served by this execution environment
 * @param environmentId an id of the execution environment (random per environment), to count environments
 * @param serverTimeMs  milliseconds the proxy spent between reading the request and writing the response
 */
public record ResponseMetadata(boolean coldStart, String environmentId, long serverTimeMs) {

    public ResponseMetadata {
        Objects.requireNonNull(environmentId, "environmentId");
        if (serverTimeMs < 0) {
            throw new IllegalArgumentException("serverTimeMs must not be negative");
        }
    }
}
