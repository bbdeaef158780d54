package dev.dbproxy.lambda.platform;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Matches requests to HTTP API routes the way API Gateway prioritises them: the most specific path wins (literal
 * segments before {@code {param}} before {@code {proxy+}}), a route for the method before {@code ANY}, and
 * {@code $default} last.
 */
final class RouteTable {

    /** A matched route and the decoded values of its path parameters. */
    record Match(HttpApiRoute route, Map<String, String> pathParameters) {
    }

    private record CompiledRoute(HttpApiRoute route, List<String> segments) {

        boolean isDefault() {
            return route.path().equals(HttpApiRoute.DEFAULT_ROUTE);
        }

        boolean greedy() {
            return !segments.isEmpty() && segments.getLast().endsWith("+}");
        }

        long literalSegments() {
            return segments.stream().filter(segment -> !segment.startsWith("{")).count();
        }
    }

    private final List<CompiledRoute> routes;

    RouteTable(List<HttpApiRoute> routes) {
        this.routes = routes.stream()
                .map(route -> new CompiledRoute(route, segments(route.path())))
                .sorted(Comparator.comparing(CompiledRoute::isDefault)
                        .thenComparing(CompiledRoute::greedy)
                        .thenComparing(Comparator.comparingLong(CompiledRoute::literalSegments).reversed())
                        .thenComparing(compiled -> compiled.segments().size(), Comparator.reverseOrder())
                        .thenComparing(compiled -> compiled.route().method().equals("ANY")))
                .toList();
    }

    /** The route serving the request, or null when none does (404). */
    Match match(String method, List<String> pathSegments) {
        for (CompiledRoute compiled : routes) {
            HttpApiRoute route = compiled.route();
            if (!route.method().equals("ANY") && !route.method().equals(method)) {
                continue;
            }
            if (compiled.isDefault()) {
                return new Match(route, Map.of());
            }
            Map<String, String> parameters = matchSegments(compiled, pathSegments);
            if (parameters != null) {
                return new Match(route, parameters);
            }
        }
        return null;
    }

    private static Map<String, String> matchSegments(CompiledRoute compiled, List<String> path) {
        List<String> pattern = compiled.segments();
        Map<String, String> parameters = new LinkedHashMap<>();
        for (int i = 0; i < pattern.size(); i++) {
            String segment = pattern.get(i);
            if (segment.startsWith("{") && segment.endsWith("+}")) {
                if (i >= path.size()) {
                    return null;
                }
                parameters.put(segment.substring(1, segment.length() - 2), String.join("/", path.subList(i, path.size())));
                return parameters;
            }
            if (i >= path.size()) {
                return null;
            }
            if (segment.startsWith("{") && segment.endsWith("}")) {
                parameters.put(segment.substring(1, segment.length() - 1), path.get(i));
            } else if (!segment.equals(path.get(i))) {
                return null;
            }
        }
        return pattern.size() == path.size() ? parameters : null;
    }

    static List<String> segments(String path) {
        List<String> segments = new ArrayList<>();
        for (String segment : path.split("/")) {
            if (!segment.isEmpty()) {
                segments.add(segment);
            }
        }
        return segments;
    }
}
