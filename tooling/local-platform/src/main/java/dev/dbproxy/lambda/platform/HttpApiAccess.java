package dev.dbproxy.lambda.platform;

import java.util.Objects;
import java.util.Set;

/**
 * What an HTTP API demands of its callers on AWS, as its template declares it: the authorizer its routes require and
 * the throttling of its routes. The local {@link HttpApiGateway} enforces neither (it checks no SigV4 signature and
 * no token, and throttles only through the functions' concurrency); it keeps this so that it can say, when it
 * starts, exactly what it does not check.
 *
 * @param defaultAuthorizer the authorizer every route requires: {@code AWS_IAM}, the name of a JWT authorizer of the
 *                          API, or {@link #NONE} when the routes are open to anyone
 * @param authorizerType    {@code AWS_IAM}, {@code JWT} or {@link #NONE}
 * @param throttling        the route throttling, as {@code burst 50, rate 20 requests/s per route}, or {@link #NONE}
 */
public record HttpApiAccess(String defaultAuthorizer, String authorizerType, String throttling) {

    /** No authorizer, or no throttling. */
    public static final String NONE = "NONE";

    private static final Set<String> AUTHORIZER_TYPES = Set.of("AWS_IAM", "JWT", NONE);

    /** An API whose routes anyone may call as often as Lambda allows: what a template without {@code Auth} declares. */
    public static final HttpApiAccess OPEN = new HttpApiAccess(NONE, NONE, NONE);

    /** Checks the authorizer type. */
    public HttpApiAccess {
        Objects.requireNonNull(defaultAuthorizer, "defaultAuthorizer");
        Objects.requireNonNull(throttling, "throttling");
        if (!AUTHORIZER_TYPES.contains(authorizerType)) {
            throw new IllegalArgumentException("authorizerType must be one of " + AUTHORIZER_TYPES + ", was "
                    + authorizerType);
        }
    }

    /** Whether a caller needs a signature or a token on AWS. */
    public boolean requiresAuthorization() {
        return !authorizerType.equals(NONE);
    }

    /**
     * One sentence saying what the local gateway skips, for its start-up log line and for {@code serve}: for example
     * {@code no SigV4 signature or JWT is checked and nothing is throttled here; on AWS every route requires AWS_IAM
     * (SigV4) and is throttled (burst 50, rate 20 requests/s per route)}.
     */
    public String localNotice() {
        String required = switch (authorizerType) {
            case "AWS_IAM" -> "requires AWS_IAM (a SigV4-signed request)";
            case "JWT" -> "requires a JWT from the authorizer " + defaultAuthorizer;
            default -> "is open to anyone";
        };
        String throttled = throttling.equals(NONE) ? "is not throttled" : "is throttled (" + throttling + ")";
        return "no SigV4 signature or JWT is checked and no route is throttled here; on AWS every route " + required
                + " and " + throttled;
    }
}
