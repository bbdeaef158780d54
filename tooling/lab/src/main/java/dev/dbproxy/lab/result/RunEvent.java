package dev.dbproxy.lab.result;

/**
 * Something that happened during a run, marked on the charts.
 *
 * @param seconds time since the load started
 * @param kind    {@code step}, {@code redeploy}, {@code load-end} or {@code end}
 * @param label   what to print next to the mark, e.g. {@code 60 users}
 */
public record RunEvent(double seconds, String kind, String label) {
}
