package dev.dbproxy.localmongodb;

/**
 * Connection figures as MongoDB's {@code serverStatus} command reports them under {@code connections}.
 *
 * @param current      client connections open now
 * @param totalCreated client connections accepted since the server started
 */
public record ConnectionStats(long current, long totalCreated) {
}
