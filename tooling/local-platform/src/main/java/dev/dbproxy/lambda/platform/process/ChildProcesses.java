package dev.dbproxy.lambda.platform.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Starts child processes so that none outlives this JVM, however it ends:
 * <ul>
 *   <li>closed normally: {@link #close()} kills every child still alive;</li>
 *   <li>interrupted (Ctrl-C, SIGTERM): a shutdown hook does the same;</li>
 *   <li>killed (SIGKILL, a crash): every child runs under {@code setpriv --pdeathsig KILL}, so the kernel kills it
 *       when its parent goes. The kernel ties that signal to the <em>thread</em> that started the child, so every
 *       child is started from one long-lived launcher thread, never from a pooled or virtual thread that may end.</li>
 * </ul>
 */
final class ChildProcesses implements AutoCloseable {

    private static final Path SETPRIV = findSetpriv();

    private final Set<Process> alive = ConcurrentHashMap.newKeySet();
    private final ExecutorService launcher = Executors.newSingleThreadExecutor(Thread.ofPlatform()
            .name("lambda-process-launcher").daemon(true).factory());
    private final Thread shutdownHook;

    /** @param afterKillingAtShutdown what the shutdown hook does once every child is killed (delete their files) */
    ChildProcesses(Runnable afterKillingAtShutdown) {
        this.shutdownHook = new Thread(() -> {
            killAll();
            afterKillingAtShutdown.run();
        }, "lambda-process-reaper");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** {@code command} run under {@code setpriv --pdeathsig KILL}: the kernel kills it when this JVM dies. */
    static List<String> dieWithParent(List<String> command) {
        List<String> wrapped = new ArrayList<>(List.of(SETPRIV.toString(), "--pdeathsig", "KILL", "--"));
        wrapped.addAll(command);
        return wrapped;
    }

    private static Path findSetpriv() {
        for (String folder : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path candidate = Path.of(folder, "setpriv");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        Path usual = Path.of("/usr/bin/setpriv");
        return Files.isExecutable(usual) ? usual : Path.of("setpriv");
    }

    /**
     * Starts a process from the launcher thread and tracks it until it exits.
     *
     * @throws UncheckedIOException when it cannot start (for example without {@code setpriv}, from util-linux)
     */
    Process start(ProcessBuilder builder) {
        return onLauncher(() -> {
            Process process = builder.start();
            alive.add(process);
            process.onExit().thenRun(() -> alive.remove(process));
            return process;
        });
    }

    /** Runs a task on the launcher thread (for processes that are not tracked, such as the signal shell). */
    <T> T onLauncher(Callable<T> task) {
        Future<T> result = launcher.submit(task);
        try {
            return result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting a process", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw new UncheckedIOException("cannot start a process (" + io.getMessage()
                        + "); process environments need a JDK and setpriv (util-linux) on Linux", io);
            }
            throw cause instanceof RuntimeException runtime ? runtime : new IllegalStateException(cause);
        }
    }

    /** How many children are alive now. */
    int aliveCount() {
        return alive.size();
    }

    private void killAll() {
        for (Process process : List.copyOf(alive)) {
            process.destroyForcibly();
        }
    }

    /** Kills every child still alive, waits up to 5 s until they are gone, and stops the launcher thread. */
    @Override
    public void close() {
        List<Process> children = List.copyOf(alive);
        killAll();
        for (Process child : children) {
            try {
                child.waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        children.forEach(alive::remove);
        launcher.shutdownNow();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway
        }
    }
}
