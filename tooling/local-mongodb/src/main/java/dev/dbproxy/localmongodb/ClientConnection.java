package dev.dbproxy.localmongodb;

import de.bwaldvogel.mongo.bson.Document;
import io.netty.channel.Channel;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the server knows about one client connection, as MongoDB keeps it for {@code $currentOp}: its number, the
 * client's address, the metadata the client sent in its handshake (where the driver puts the {@code appName}) and
 * the command it is running, if any.
 */
final class ClientConnection {

    private final long connectionId;
    private final String client;
    private final AtomicInteger running = new AtomicInteger();
    private volatile Document clientMetadata;
    private volatile RunningCommand command;

    ClientConnection(long connectionId, Channel channel) {
        this.connectionId = connectionId;
        this.client = hostAndPort(channel.remoteAddress());
    }

    long connectionId() {
        return connectionId;
    }

    /** The client's address as {@code host:port}, as MongoDB prints it. */
    String client() {
        return client;
    }

    /** The handshake's {@code client} document; {@code null} until a handshake carried one. */
    Document clientMetadata() {
        return clientMetadata;
    }

    /** Keeps the first metadata a handshake sent; MongoDB ignores (and drivers do not send) later ones. */
    void handshake(Document metadata) {
        if (clientMetadata == null && metadata != null) {
            clientMetadata = metadata;
        }
    }

    /** The {@code client.application.name} of the handshake; {@code null} when the client named none. */
    String appName() {
        Document metadata = clientMetadata;
        if (metadata != null && metadata.get("application") instanceof Document application
                && application.get("name") instanceof String name) {
            return name;
        }
        return null;
    }

    /** The command running now; {@code null} when the connection is idle. */
    RunningCommand command() {
        return running.get() > 0 ? command : null;
    }

    void started(RunningCommand started) {
        command = started;
        running.incrementAndGet();
    }

    void finished() {
        running.decrementAndGet();
    }

    private static String hostAndPort(SocketAddress address) {
        if (address instanceof InetSocketAddress inet) {
            return inet.getAddress().getHostAddress() + ":" + inet.getPort();
        }
        return String.valueOf(address);
    }

    /**
     * A command a connection is running.
     *
     * @param opid        the operation's number
     * @param namespace   {@code <database>.$cmd}
     * @param command     the command document
     * @param startedNanos when it started, from {@link System#nanoTime()}
     */
    record RunningCommand(long opid, String namespace, Document command, long startedNanos) {
    }
}
