package dev.dbproxy.lambda.platform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** What the operating system says about a process, for tests of process environments. */
final class ProcessLiveness {

    private ProcessLiveness() {
    }

    /** Waits up to 5 s for a process to end; returns whether it is still alive then. */
    static boolean aliveAfterWaiting(long pid) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < until) {
            if (!alive(pid)) {
                return false;
            }
            Thread.sleep(20);
        }
        return alive(pid);
    }

    /** Waits up to 5 s for a process to reach a state; returns its state then. */
    static char stateAfterWaiting(long pid, char wanted) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (state(pid) != wanted && System.nanoTime() < until) {
            Thread.sleep(10);
        }
        return state(pid);
    }

    /** The live environment processes of a function, found by the variables in their {@code /proc/<pid>/environ}. */
    static java.util.List<Long> environmentsOf(String functionName) {
        return ProcessHandle.current().descendants()
                .filter(child -> child.info().commandLine().orElse("").contains("AWSLambda"))
                .filter(child -> {
                    try {
                        return Files.readString(Path.of("/proc", Long.toString(child.pid()), "environ"))
                                .contains("AWS_LAMBDA_FUNCTION_NAME=" + functionName + "\0");
                    } catch (IOException gone) {
                        return false;
                    }
                })
                .map(ProcessHandle::pid)
                .toList();
    }

    /** Alive and not a zombie waiting to be reaped. */
    static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) && state(pid) != 'Z';
    }

    /** The state letter of {@code /proc/<pid>/stat}: R, S, T (stopped), Z, ...; '?' when there is no such process. */
    static char state(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2);
        } catch (NoSuchFileException gone) {
            return '?';
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
