package dev.dbproxy.lambda.platform;

import java.util.Locale;
import java.util.Objects;

/**
 * One route of an HTTP API (a SAM {@code HttpApi} event): requests matching the method and path go to the function.
 *
 * @param method       {@code GET}, {@code POST}, ... or {@code ANY}
 * @param path         {@code /notes/{id}}, {@code /files/{proxy+}}, or {@code $default} for the catch-all route
 * @param functionName the function that serves it
 */
public record HttpApiRoute(String method, String path, String functionName) {

    /** The catch-all route's path (and route key). */
    public static final String DEFAULT_ROUTE = "$default";

    /** Normalizes the method to upper case and checks the path. */
    public HttpApiRoute {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(functionName, "functionName");
        method = method.toUpperCase(Locale.ROOT);
        if (!path.equals(DEFAULT_ROUTE) && !path.startsWith("/")) {
            throw new IllegalArgumentException("route path must start with '/' or be $default, was '" + path + "'");
        }
    }

    /** The route key as API Gateway writes it in events: {@code GET /notes/{id}} or {@code $default}. */
    public String routeKey() {
        return path.equals(DEFAULT_ROUTE) ? DEFAULT_ROUTE : method + " " + path;
    }
}
