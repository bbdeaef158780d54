package dev.dbproxy.lambda.platform;

/**
 * How many execution environments a function has.
 *
 * @param live   environments that can serve invocations, idle or busy
 * @param busy   environments running an invocation (including their cold start)
 * @param zombie abandoned environments whose sockets are still open
 */
public record EnvironmentCounts(int live, int busy, int zombie) {
}
