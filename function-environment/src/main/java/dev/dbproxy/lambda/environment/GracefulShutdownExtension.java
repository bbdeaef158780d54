package dev.dbproxy.lambda.environment;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * A tiny internal Lambda extension, turned on with one variable, that gives a function a graceful shutdown on AWS.
 *
 * <p>Why: Lambda sends the runtime SIGTERM before it destroys an execution environment only when an extension is
 * registered (then the JVM's shutdown hooks get about 500 ms); without one the environment is simply frozen and
 * dropped, and every MongoDB connection it held stays open on the server until a timeout. Registering for no events
 * ({@code {"events":[]}}) is enough and costs nothing per invocation: the extension's thread waits in
 * {@code /extension/event/next}, which never answers.
 *
 * <p>With {@value #VARIABLE} {@code =true} and a Runtime API present ({@code AWS_LAMBDA_RUNTIME_API}),
 * {@link #closeAtShutdown(Map, AutoCloseable)} registers the extension during init and adds a shutdown hook that
 * closes the given client. Without the Runtime API (the local platform's in-process environments, unit tests) it does
 * nothing: there the platform's reclaim mode decides.
 */
public final class GracefulShutdownExtension {

    /** {@code true} turns the extension on, {@code false} (the default) leaves it off. */
    public static final String VARIABLE = "LAMBDA_GRACEFUL_SHUTDOWN";
    /** The extension's name, as the Extensions API and the logs show it. */
    public static final String NAME = "graceful-shutdown";
    private static final String RUNTIME_API = "AWS_LAMBDA_RUNTIME_API";

    private static volatile boolean registered;

    private GracefulShutdownExtension() {
    }

    /**
     * Registers the extension when {@value #VARIABLE} is {@code true} and a Runtime API is present, and then closes
     * {@code resource} in a JVM shutdown hook (run on Lambda's SIGTERM). Call it during init, from the composition
     * root, once the client is built.
     *
     * @return whether the extension is registered (and the hook added)
     * @throws IllegalArgumentException when {@value #VARIABLE} is neither {@code true} nor {@code false}
     * @throws UncheckedIOException     when the Extensions API refuses the registration
     */
    public static boolean closeAtShutdown(Map<String, String> variables, AutoCloseable resource) {
        if (!registerIfEnabled(variables)) {
            return false;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                resource.close();
            } catch (Exception e) {
                System.getLogger(GracefulShutdownExtension.class.getName()).log(System.Logger.Level.WARNING,
                        NAME + ": closing " + resource.getClass().getName() + " at shutdown failed", e);
            }
        }, NAME));
        return true;
    }

    /**
     * Registers the extension when {@value #VARIABLE} is {@code true} and a Runtime API is present, for a function
     * that closes its clients in a shutdown hook of its own. Call it during init; calling it again does nothing.
     *
     * @return whether the extension is registered
     * @throws IllegalArgumentException when {@value #VARIABLE} is neither {@code true} nor {@code false}
     * @throws UncheckedIOException     when the Extensions API refuses the registration
     */
    public static boolean registerIfEnabled(Map<String, String> variables) {
        if (!enabled(variables) || variables.getOrDefault(RUNTIME_API, "").isBlank()) {
            return false;
        }
        register(variables.get(RUNTIME_API).strip());
        return true;
    }

    /**
     * Whether the variable turns the extension on.
     *
     * @throws IllegalArgumentException when it is neither {@code true} nor {@code false}
     */
    public static boolean enabled(Map<String, String> variables) {
        String value = variables.getOrDefault(VARIABLE, "false").strip().toLowerCase(Locale.ROOT);
        return switch (value) {
            case "true" -> true;
            case "false", "" -> false;
            default -> throw new IllegalArgumentException(VARIABLE + " must be true or false, not " + value);
        };
    }

    private static synchronized void register(String runtimeApi) {
        if (registered) {
            return;
        }
        try {
            HttpURLConnection register = (HttpURLConnection) URI.create("http://" + runtimeApi
                    + "/2020-01-01/extension/register").toURL().openConnection();
            register.setRequestMethod("POST");
            register.setRequestProperty("Lambda-Extension-Name", NAME);
            register.setRequestProperty("Content-Type", "application/json");
            register.setDoOutput(true);
            try (OutputStream body = register.getOutputStream()) {
                body.write("{\"events\":[]}".getBytes(StandardCharsets.UTF_8));
            }
            int status = register.getResponseCode();
            String identifier = register.getHeaderField("Lambda-Extension-Identifier");
            drain(status < 400 ? register.getInputStream() : register.getErrorStream());
            if (status != 200 || identifier == null) {
                throw new UncheckedIOException(new IOException("the Extensions API refused to register " + NAME
                        + ": HTTP " + status));
            }
            Thread waiter = new Thread(() -> waitForEvents(runtimeApi, identifier), NAME + "-events");
            waiter.setDaemon(true);
            waiter.start();
            registered = true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot register the " + NAME + " extension at " + runtimeApi, e);
        }
    }

    /** Signals the end of its init and then waits: an extension registered for no events never gets one. */
    private static void waitForEvents(String runtimeApi, String identifier) {
        while (true) {
            try {
                HttpURLConnection next = (HttpURLConnection) URI.create("http://" + runtimeApi
                        + "/2020-01-01/extension/event/next").toURL().openConnection();
                next.setRequestProperty("Lambda-Extension-Identifier", identifier);
                next.setReadTimeout(0);
                int status = next.getResponseCode();
                drain(status < 400 ? next.getInputStream() : next.getErrorStream());
                if (status >= 400) {
                    return;
                }
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void drain(InputStream body) throws IOException {
        if (body != null) {
            try (body) {
                body.readAllBytes();
            }
        }
    }
}
