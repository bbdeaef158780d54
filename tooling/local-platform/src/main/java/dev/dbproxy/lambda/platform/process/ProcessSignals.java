package dev.dbproxy.lambda.platform.process;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Sends SIGSTOP and SIGCONT, which Java's {@link ProcessHandle} cannot: through one long-lived {@code /bin/sh} whose
 * {@code kill} is a builtin, so freezing or thawing an environment costs a pipe write instead of a process start.
 * Commands run in the order they are written, so a thaw never overtakes the freeze before it. The shell dies with
 * this JVM (it reads commands from a pipe that closes then, and runs under {@code setpriv --pdeathsig KILL}).
 */
final class ProcessSignals implements AutoCloseable {

    private final Process shell;
    private final OutputStream commands;

    private ProcessSignals(Process shell) {
        this.shell = shell;
        this.commands = shell.getOutputStream();
    }

    /** Starts the shell; call it from a thread that lives as long as the shell must (see {@link ChildProcesses}). */
    static ProcessSignals start() {
        try {
            Process shell = new ProcessBuilder(ChildProcesses.dieWithParent(List.of("/bin/sh", "-c", "exec 2>/dev/null; exec /bin/sh -s")))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            return new ProcessSignals(shell);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start /bin/sh to send SIGSTOP/SIGCONT", e);
        }
    }

    /** Stops (freezes) a process: its threads, timers and sockets stay as they are. */
    void stop(long pid) {
        send("kill -STOP " + pid + "\n");
    }

    /** Resumes a stopped process. */
    void resume(long pid) {
        send("kill -CONT " + pid + "\n");
    }

    private synchronized void send(String command) {
        try {
            commands.write(command.getBytes(StandardCharsets.US_ASCII));
            commands.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("the signal shell is gone", e);
        }
    }

    /** Ends the shell. */
    @Override
    public synchronized void close() {
        try {
            commands.close();
        } catch (IOException ignored) {
            // the shell is gone already
        }
        shell.destroyForcibly();
    }
}
