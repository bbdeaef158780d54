package dev.dbproxy.localmongodb;

import de.bwaldvogel.mongo.MongoServer;
import java.net.InetSocketAddress;

/**
 * An embedded, wire-compatible MongoDB server on a loopback port (mongo-java-server with its in-memory backend) that
 * reports real connection figures through the standard {@code serverStatus} command and lists each client connection
 * with its {@code appName} through {@code $currentOp} ({@code idleConnections: true}), so code that measures and
 * attributes connections works unchanged against a real MongoDB.
 *
 * <p>It can be {@linkplain #stop() stopped} and {@linkplain #restart() restarted} on the same port with its data
 * kept, to model a database outage. Known gaps against a real MongoDB (no transactions, partial aggregation, it
 * handshakes as MongoDB 4.2) are listed in the project's README.
 */
public final class EmbeddedMongoDb implements AutoCloseable {

    private static final String LOOPBACK = "127.0.0.1";

    private final ConnectionCountingBackend backend;
    private final int port;
    private MongoServer server;

    private EmbeddedMongoDb(ConnectionCountingBackend backend, MongoServer server, int port) {
        this.backend = backend;
        this.server = server;
        this.port = port;
    }

    /** Starts a server on a free loopback port. */
    public static EmbeddedMongoDb start() {
        return start(0);
    }

    /** Starts a server on the given loopback port, or a free one when {@code port} is 0. */
    public static EmbeddedMongoDb start(int port) {
        ConnectionCountingBackend backend = new ConnectionCountingBackend();
        MongoServer server = new MongoServer(backend);
        server.bind(LOOPBACK, port);
        int bound = server.getLocalAddress().getPort();
        backend.listeningOn(LOOPBACK + ":" + bound);
        return new EmbeddedMongoDb(backend, server, bound);
    }

    /** A connection string for the driver, for example {@code mongodb://127.0.0.1:27017}. It holds no credentials. */
    public String connectionString() {
        return "mongodb://" + LOOPBACK + ":" + port;
    }

    /** The loopback port the server listens on; it stays the same across {@link #restart()}. */
    public int port() {
        return port;
    }

    /** The loopback address the server listens on. */
    public InetSocketAddress address() {
        return new InetSocketAddress(LOOPBACK, port);
    }

    /** The connection figures that {@code serverStatus} reports right now. */
    public ConnectionStats connectionStats() {
        return backend.connectionStats();
    }

    /**
     * While {@code failing}, every insert, update, delete and findAndModify is applied but answered with a write
     * concern error (code 64, {@code WriteConcernFailed}), as a replica set's primary answers when its secondaries do
     * not confirm a write in time: the write happened on the primary and may still be rolled back.
     */
    public void failWriteConcern(boolean failing) {
        backend.failWriteConcern(failing);
    }

    /** Whether the server currently accepts connections. */
    public synchronized boolean isRunning() {
        return server != null;
    }

    /**
     * Stops listening and drops every client connection, as a crashed database would. The data is kept for
     * {@link #restart()}. Does nothing when already stopped.
     */
    public synchronized void stop() {
        if (server != null) {
            server.shutdownNow();
            backend.forgetOpenConnections();
            server = null;
        }
    }

    /** Listens again on the same port with the same data. Does nothing when running. */
    public synchronized void restart() {
        if (server == null) {
            MongoServer restarted = new MongoServer(backend);
            restarted.bind(LOOPBACK, port);
            server = restarted;
        }
    }

    /** Stops the server for good and releases its data. */
    @Override
    public synchronized void close() {
        stop();
        backend.release();
    }

    @Override
    public String toString() {
        return "EmbeddedMongoDb[" + connectionString() + (isRunning() ? "" : ", stopped") + "]";
    }
}
