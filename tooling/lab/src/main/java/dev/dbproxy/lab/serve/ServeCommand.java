package dev.dbproxy.lab.serve;

import dev.dbproxy.lambda.platform.EnvironmentKind;
import dev.dbproxy.lambda.platform.FunctionDefinition;
import dev.dbproxy.lambda.platform.HttpApiRoute;
import dev.dbproxy.lambda.platform.PlatformSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;

/**
 * {@code serve}: the notes API of {@code sample-notes/template.yaml} on loopback, both strategies, until Ctrl-C. It
 * prints the HTTP API's routes and the local Lambda platform's Invoke endpoint, so that any AWS SDK or the AWS CLI
 * (endpoint override, any region, dummy credentials) can invoke the template's functions, the DB proxy included.
 *
 * <p>Usage: {@code ServeCommand [--port N] [--invoke-port N] [--environments in-process|process]} (ports 3000 and
 * 3001 by default, those of {@code sam local start-api} and {@code sam local start-lambda}; 0 picks a free port).
 * {@code MONGODB_URI}, when set, is the database used instead of the embedded one.
 */
public final class ServeCommand {

    static final String USAGE = """
            usage: serve [--port N] [--invoke-port N] [--environments in-process|process]
              --port N              the HTTP API's port on 127.0.0.1 (default 3000, 0 = any free port)
              --invoke-port N       the Lambda Invoke API's port on 127.0.0.1 (default 3001, 0 = any free port)
              --environments KIND   in-process (default) or process: a JVM per environment under the real Lambda
                                    runtime client, frozen between invocations (needs the jars: mvn package)
            MONGODB_URI, when set, is the database used instead of the embedded one.""";

    /** What the first line about the Invoke API starts with; the endpoint follows it. */
    static final String INVOKE_API_LINE = "Lambda Invoke API on ";

    private ServeCommand() {
    }

    /** The ports to listen on and the kind of execution environments, as parsed from the command line. */
    record Options(int port, int invokePort, EnvironmentKind environments) {
    }

    public static void main(String[] args) throws InterruptedException {
        Options options;
        try {
            options = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        long start = System.nanoTime();
        String externalUri = System.getenv("MONGODB_URI");
        LocalNotesStack stack = LocalNotesStack.builder().externalMongoDbUri(externalUri).gatewayPort(options.port())
                .platformSettings(PlatformSettings.defaults().toBuilder().port(options.invokePort()).build())
                .environments(options.environments()).start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            long stopping = System.nanoTime();
            System.out.println("shutting down");
            stack.close();
            System.out.printf("stopped in %d ms%n", (System.nanoTime() - stopping) / 1_000_000);
            stopped.countDown();
        }, "serve-shutdown"));
        banner(stack, (System.nanoTime() - start) / 1_000_000).forEach(System.out::println);
        stopped.await();
    }

    /**
     * What {@code serve} prints once the stack is up: the HTTP API and its routes, what the local gateway does not
     * check, the Invoke endpoint and the functions it serves, and how to stop.
     */
    static List<String> banner(LocalNotesStack stack, long startedInMillis) {
        List<String> lines = new ArrayList<>();
        lines.add(String.format("notes API on %s (database: %s; started in %d ms)", stack.baseUrl(),
                stack.usesEmbeddedDatabase() ? "embedded MongoDB at " + stack.mongoDbUri() : "MONGODB_URI",
                startedInMillis));
        for (HttpApiRoute route : stack.routes()) {
            lines.add(String.format("  %-6s %s%s  -> %s", route.method(), stack.baseUrl(), route.path(),
                    route.functionName()));
        }
        lines.add("  " + stack.template().httpApiAccess().localNotice());
        String invokeEndpoint = stack.platform().invokeEndpoint().toString();
        lines.add(INVOKE_API_LINE + invokeEndpoint + " (any AWS SDK or CLI with this endpoint, any region, dummy"
                + " credentials: aws lambda invoke --endpoint-url " + invokeEndpoint + " --function-name DbProxyFunction ...)");
        lines.add("  functions: " + stack.template().functions().stream().map(FunctionDefinition::name)
                .collect(Collectors.joining(", ")));
        lines.add("Data API on " + stack.baseUrl() + "/action/{action} with api-key: " + stack.dataApiKey());
        lines.add("Ctrl-C stops everything.");
        return lines;
    }

    static Options parse(String[] args) {
        int port = 3000;
        int invokePort = 3001;
        EnvironmentKind environments = EnvironmentKind.IN_PROCESS;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--port") && i + 1 < args.length) {
                port = port(args[i], args[++i]);
            } else if (args[i].equals("--invoke-port") && i + 1 < args.length) {
                invokePort = port(args[i], args[++i]);
            } else if (args[i].equals("--environments") && i + 1 < args.length) {
                environments = EnvironmentKind.parse(args[++i]);
            } else {
                throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        return new Options(port, invokePort, environments);
    }

    private static int port(String option, String value) {
        int port;
        try {
            port = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs a number, got " + value);
        }
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException(option + " must be 0..65535, got " + port);
        }
        return port;
    }
}
