package dev.dbproxy.localmongodb;

import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.wire.message.MongoMessage;
import de.bwaldvogel.mongo.wire.message.MongoQuery;
import io.netty.channel.Channel;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The in-memory backend of mongo-java-server, extended to know its client connections the way a real MongoDB does
 * (upstream reports a constant): {@code serverStatus.connections.current} and {@code totalCreated} are real figures,
 * and {@code $currentOp} (see {@link CurrentOperations}) lists every connection with the {@code appName} its client
 * sent in the handshake. A connection counts from its first message, which a driver sends right after connecting.
 */
final class ConnectionCountingBackend extends MemoryBackend {

    private static final Set<String> WRITES = Set.of("insert", "update", "delete", "findAndModify", "findandmodify");
    private static final Set<String> HANDSHAKES = Set.of("ismaster", "hello");
    private static final int WRITE_CONCERN_FAILED = 64;

    private final Map<Channel, ClientConnection> open = new ConcurrentHashMap<>();
    private final AtomicLong totalCreated = new AtomicLong();
    private final AtomicLong operations = new AtomicLong();
    private final CurrentOperations currentOperations;
    private volatile boolean failingWriteConcern;

    private volatile String host = "127.0.0.1";

    ConnectionCountingBackend() {
        this.currentOperations = new CurrentOperations(() -> host);
    }

    /** The server's {@code host:port}, which {@code $currentOp} reports; known once the server is bound. */
    void listeningOn(String hostAndPort) {
        host = hostAndPort;
    }

    @Override
    public Document handleCommand(Channel channel, String database, String command, Document query) {
        ClientConnection connection = track(channel);
        if (connection == null) {
            return reply(channel, database, command, query);
        }
        if (HANDSHAKES.contains(command.toLowerCase(Locale.ROOT))
                && query.get("client") instanceof Document metadata) {
            connection.handshake(metadata);
        }
        connection.started(new ClientConnection.RunningCommand(operations.incrementAndGet(), database + ".$cmd",
                query, System.nanoTime()));
        try {
            return reply(channel, database, command, query);
        } finally {
            connection.finished();
        }
    }

    private Document reply(Channel channel, String database, String command, Document query) {
        if (command.equalsIgnoreCase("aggregate") && CurrentOperations.isCurrentOpAggregation(query)) {
            return currentOperations.aggregate(database, query, connections());
        }
        if (command.equals("currentOp") && database.equals("admin")) {
            return currentOperations.command(query, connections());
        }
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
    public Collection<Document> getCurrentOperations(MongoQuery query) {
        return currentOperations.activeOperations(connections());
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

    /** The connection of a channel, counted from its first message; {@code null} without a channel. */
    private ClientConnection track(Channel channel) {
        if (channel == null) {
            return null;
        }
        ClientConnection known = open.get(channel);
        if (known != null) {
            return known;
        }
        // A channel's messages arrive one after the other on its event loop: no other thread adds this one.
        ClientConnection connection = new ClientConnection(totalCreated.incrementAndGet(), channel);
        open.put(channel, connection);
        channel.closeFuture().addListener(future -> open.remove(channel));
        return connection;
    }

    private Collection<ClientConnection> connections() {
        return open.values();
    }
}
