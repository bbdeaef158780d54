package dev.dbproxy.reliability;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP relay on a loopback port that forwards to an upstream server and injects network faults on demand:
 * added latency, dropped connections, a half-open network (sockets stay open but nothing gets through), refused
 * connections and lost replies (a request reaches the server, its reply never comes back). Test-only: small on purpose, one virtual thread per direction.
 */
final class FaultyTcpRelay implements AutoCloseable {

    private final InetSocketAddress upstream;
    private final ServerSocket server;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private volatile Duration latency = Duration.ZERO;
    private volatile boolean blackholed;
    private volatile boolean refusing;
    private volatile boolean losingReplies;
    private volatile boolean closed;

    private FaultyTcpRelay(InetSocketAddress upstream) throws IOException {
        this.upstream = upstream;
        this.server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("relay-accept").start(this::acceptLoop);
    }

    /** Starts a relay to {@code upstream}. */
    static FaultyTcpRelay to(InetSocketAddress upstream) throws IOException {
        return new FaultyTcpRelay(upstream);
    }

    int port() {
        return server.getLocalPort();
    }

    /** A connection string for the driver through this relay. */
    String mongoConnectionString() {
        return "mongodb://127.0.0.1:" + port();
    }

    /** Delays every chunk of bytes in both directions. */
    void addLatency(Duration latency) {
        this.latency = latency;
    }

    /** Stops forwarding while keeping every socket open, as a network partition without FIN or RST would. */
    void blackhole() {
        blackholed = true;
    }

    /**
     * Forwards requests but drops every reply, closing its connection instead: the server has done the work, and the
     * client learns nothing but that the connection broke.
     */
    void loseReplies() {
        losingReplies = true;
    }

    /** Closes new connections at once. */
    void refuseConnections() {
        refusing = true;
    }

    /** Resets every connection open now. */
    void dropConnections() {
        for (Socket socket : sockets) {
            closeQuietly(socket);
        }
        sockets.clear();
    }

    /** Removes every fault; connections dropped stay dropped. */
    void heal() {
        latency = Duration.ZERO;
        blackholed = false;
        refusing = false;
        losingReplies = false;
    }

    /** Client and upstream sockets open now, counted together. */
    int openSockets() {
        sockets.removeIf(Socket::isClosed);
        return sockets.size();
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly(server);
        dropConnections();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = server.accept();
                if (refusing) {
                    closeQuietly(client);
                    continue;
                }
                Socket target = new Socket();
                target.connect(upstream, 2000);
                sockets.add(client);
                sockets.add(target);
                Thread.ofVirtual().start(() -> pump(client, target, false));
                Thread.ofVirtual().start(() -> pump(target, client, true));
            } catch (IOException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    private void pump(Socket from, Socket to, boolean replies) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int read;
            while ((read = in.read(buffer)) >= 0) {
                while (blackholed && !from.isClosed()) {
                    Thread.sleep(10);
                }
                if (replies && losingReplies) {
                    break;
                }
                Duration delay = latency;
                if (!delay.isZero()) {
                    Thread.sleep(delay);
                }
                out.write(buffer, 0, read);
                out.flush();
            }
        } catch (IOException e) {
            // the other side closed or the relay dropped the connection
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closeQuietly(from);
            closeQuietly(to);
            sockets.remove(from);
            sockets.remove(to);
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // closing is best effort
        }
    }
}
