package dev.dbproxy.localmongodb;

import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.wire.message.MongoMessage;
import de.bwaldvogel.mongo.wire.message.MongoQuery;
import io.netty.channel.Channel;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The in-memory backend of mongo-java-server, extended to count client connections the way a real MongoDB does, so
 * that {@code serverStatus.connections.current} and {@code totalCreated} are real figures (upstream reports a
 * constant). A connection counts from its first message, which a driver sends right after connecting.
 */
final class ConnectionCountingBackend extends MemoryBackend {

    private static final Set<String> WRITES = Set.of("insert", "update", "delete", "findAndModify", "findandmodify");
    private static final int WRITE_CONCERN_FAILED = 64;

    private final Set<Channel> open = ConcurrentHashMap.newKeySet();
    private final AtomicLong totalCreated = new AtomicLong();
    private volatile boolean failingWriteConcern;

    @Override
    public Document handleCommand(Channel channel, String database, String command, Document query) {
        track(channel);
        Document reply = super.handleCommand(channel, database, command, query);
        if (failingWriteConcern && WRITES.contains(command)) {
            reply.put("writeConcernError", new Document("code", WRITE_CONCERN_FAILED)
                    .append("codeName", "WriteConcernFailed")
                    .append("errmsg", "waiting for replication timed out"));
        }
        return reply;
    }

    @Override
    public Document handleMessage(MongoMessage message) {
        track(message.getChannel());
        return super.handleMessage(message);
    }

    @Override
    public QueryResult handleQuery(MongoQuery query) {
        track(query.getChannel());
        return super.handleQuery(query);
    }

    @Override
    public void handleClose(Channel channel) {
        open.remove(channel);
        super.handleClose(channel);
    }

    @Override
    public Document getServerStatus() {
        Document status = super.getServerStatus();
        Document connections = new Document();
        connections.put("current", open.size());
        connections.put("available", Integer.MAX_VALUE - open.size());
        connections.put("totalCreated", totalCreated.get());
        status.put("connections", connections);
        return status;
    }

    /**
     * Ignored: mongo-java-server closes its backend when the server shuts down, which would lose the data of a
     * stopped server that is about to restart. {@link #release()} closes it for good.
     */
    @Override
    public void close() {
    }

    void release() {
        super.close();
    }

    ConnectionStats connectionStats() {
        return new ConnectionStats(open.size(), totalCreated.get());
    }

    /** See {@link EmbeddedMongoDb#failWriteConcern(boolean)}. */
    void failWriteConcern(boolean failing) {
        failingWriteConcern = failing;
    }

    /** Forgets connections of a stopped server; their channels are already closed. */
    void forgetOpenConnections() {
        open.clear();
    }

    private void track(Channel channel) {
        if (channel != null && open.add(channel)) {
            totalCreated.incrementAndGet();
            channel.closeFuture().addListener(future -> open.remove(channel));
        }
    }
}
