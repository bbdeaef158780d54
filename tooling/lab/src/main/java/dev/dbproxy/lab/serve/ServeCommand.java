package dev.dbproxy.lab.serve;

import dev.dbproxy.lambda.platform.HttpApiRoute;
import java.util.concurrent.CountDownLatch;

/**
 * {@code serve}: the notes API of {@code sample-notes/template.yaml} on loopback, both strategies, until Ctrl-C.
 *
 * <p>Usage: {@code ServeCommand [--port N]} (default 3000; 0 picks a free port). {@code MONGODB_URI}, when set, is
 * the database used instead of the embedded one.
 */
public final class ServeCommand {

    static final String USAGE = """
            usage: serve [--port N]
              --port N   the HTTP API's port on 127.0.0.1 (default 3000, 0 = any free port)
            MONGODB_URI, when set, is the database used instead of the embedded one.""";

    private ServeCommand() {
    }

    public static void main(String[] args) throws InterruptedException {
        int port;
        try {
            port = parsePort(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        long start = System.nanoTime();
        String externalUri = System.getenv("MONGODB_URI");
        LocalNotesStack stack = LocalNotesStack.builder().externalMongoDbUri(externalUri).gatewayPort(port).start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            long stopping = System.nanoTime();
            System.out.println("shutting down");
            stack.close();
            System.out.printf("stopped in %d ms%n", (System.nanoTime() - stopping) / 1_000_000);
            stopped.countDown();
        }, "serve-shutdown"));
        System.out.printf("notes API on %s (database: %s; started in %d ms)%n", stack.baseUrl(),
                stack.usesEmbeddedDatabase() ? "embedded MongoDB at " + stack.mongoDbUri() : "MONGODB_URI",
                (System.nanoTime() - start) / 1_000_000);
        for (HttpApiRoute route : stack.routes()) {
            System.out.printf("  %-6s %s%s  -> %s%n", route.method(), stack.baseUrl(), route.path(), route.functionName());
        }
        System.out.printf("Data API on %s/action/{action} with api-key: %s%n", stack.baseUrl(), stack.dataApiKey());
        System.out.println("Ctrl-C stops everything.");
        stopped.await();
    }

    static int parsePort(String[] args) {
        int port = 3000;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--port") && i + 1 < args.length) {
                try {
                    port = Integer.parseInt(args[++i]);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("--port needs a number, got " + args[i]);
                }
                if (port < 0 || port > 65_535) {
                    throw new IllegalArgumentException("--port must be 0..65535, got " + port);
                }
            } else {
                throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        return port;
    }
}
