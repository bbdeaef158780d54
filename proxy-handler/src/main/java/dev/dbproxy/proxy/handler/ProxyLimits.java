package dev.dbproxy.proxy.handler;

/**
 * What one request may ask of the proxy. Requests over a limit get a structured error, never a crash.
 *
 * @param maxOperationsPerBatch operations in one request ({@code PROXY_MAX_OPERATIONS_PER_BATCH}); more is a
 *                              {@code VALIDATION} error for the whole request
 * @param defaultFindLimit      documents a {@code find} returns when it gives no limit ({@code PROXY_DEFAULT_FIND_LIMIT})
 * @param maxFindLimit          the largest limit a {@code find} may ask for, and the most documents an
 *                              {@code aggregate} may return ({@code PROXY_MAX_FIND_LIMIT}); over it is a
 *                              {@code VALIDATION} error (find) or {@code RESULT_TOO_LARGE} (aggregate)
 * @param maxResponseBytes      the largest response, kept well under Lambda's 6 MB payload limit
 *                              ({@code PROXY_MAX_RESPONSE_BYTES}, at most {@value #RESPONSE_BYTES_CEILING}); an
 *                              operation whose result would not fit fails with {@code RESULT_TOO_LARGE}
 * @param maxRequestBytes       the largest request read ({@code PROXY_MAX_REQUEST_BYTES}, at most
 *                              {@value #REQUEST_BYTES_CEILING}); a larger one is a {@code VALIDATION} error
 */
public record ProxyLimits(int maxOperationsPerBatch, int defaultFindLimit, int maxFindLimit, int maxResponseBytes,
                          int maxRequestBytes) {

    /** The highest allowed response limit: 5 MiB, leaving room under Lambda's 6 MB for the envelope and errors. */
    public static final int RESPONSE_BYTES_CEILING = 5 * 1024 * 1024;
    /** The highest allowed request limit: Lambda's synchronous payload limit. */
    public static final int REQUEST_BYTES_CEILING = 6 * 1024 * 1024;
    /** The smallest allowed response limit, so that a batch of errors always fits. */
    public static final int RESPONSE_BYTES_FLOOR = 64 * 1024;

    public ProxyLimits {
        requireAtLeast(maxOperationsPerBatch, 1, DbProxySettings.PROXY_MAX_OPERATIONS_PER_BATCH);
        requireAtLeast(defaultFindLimit, 1, DbProxySettings.PROXY_DEFAULT_FIND_LIMIT);
        requireAtLeast(maxFindLimit, 1, DbProxySettings.PROXY_MAX_FIND_LIMIT);
        if (defaultFindLimit > maxFindLimit) {
            throw new InvalidProxySettingsException(DbProxySettings.PROXY_DEFAULT_FIND_LIMIT + " (" + defaultFindLimit
                    + ") must not exceed " + DbProxySettings.PROXY_MAX_FIND_LIMIT + " (" + maxFindLimit + ")");
        }
        if (maxResponseBytes < RESPONSE_BYTES_FLOOR || maxResponseBytes > RESPONSE_BYTES_CEILING) {
            throw new InvalidProxySettingsException(DbProxySettings.PROXY_MAX_RESPONSE_BYTES + " must be between "
                    + RESPONSE_BYTES_FLOOR + " and " + RESPONSE_BYTES_CEILING + " bytes, was " + maxResponseBytes);
        }
        if (maxRequestBytes < 1024 || maxRequestBytes > REQUEST_BYTES_CEILING) {
            throw new InvalidProxySettingsException(DbProxySettings.PROXY_MAX_REQUEST_BYTES + " must be between 1024"
                    + " and " + REQUEST_BYTES_CEILING + " bytes, was " + maxRequestBytes);
        }
    }

    /** The defaults: 25 operations, find limit 100 by default and 1000 at most, 4 MiB responses, 1 MiB requests. */
    public static ProxyLimits defaults() {
        return new ProxyLimits(25, 100, 1_000, 4 * 1024 * 1024, 1024 * 1024);
    }

    private static void requireAtLeast(int value, int minimum, String variable) {
        if (value < minimum) {
            throw new InvalidProxySettingsException(variable + " must be at least " + minimum + ", was " + value);
        }
    }
}
