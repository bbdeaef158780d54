package dev.dbproxy.lambda.platform;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * No environment process outlives the platform's JVM, however that JVM ends: interrupted (SIGTERM, as Ctrl-C ends
 * the lab) or killed outright (SIGKILL, which runs no shutdown hook).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProcessLeakIT {

    private static long startPlatformAndItsEnvironment(List<Process> platforms) throws Exception {
        Process platform = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), ProcessLeakProbeMain.class.getName(),
                ProcessTaskRoot.get().toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        platforms.add(platform);
        BufferedReader output = new BufferedReader(new InputStreamReader(platform.getInputStream(), StandardCharsets.UTF_8));
        for (String line = output.readLine(); line != null; line = output.readLine()) {
            if (line.startsWith("ENVIRONMENT ")) {
                long pid = Long.parseLong(line.substring("ENVIRONMENT ".length()).strip());
                assertTrue(ProcessLiveness.alive(pid));
                return pid;
            }
        }
        throw new AssertionError("the platform JVM ended without starting an environment");
    }

    @Test
    void killedPlatform_leavesNoEnvironmentProcess() throws Exception {
        List<Process> platforms = new java.util.ArrayList<>();
        try {
            long environment = startPlatformAndItsEnvironment(platforms);

            platforms.get(0).destroyForcibly().waitFor(10, TimeUnit.SECONDS);

            assertFalse(ProcessLiveness.aliveAfterWaiting(environment), "a SIGKILLed platform's environment dies with it");
        } finally {
            platforms.forEach(Process::destroyForcibly);
        }
    }

    @Test
    void interruptedPlatform_leavesNoEnvironmentProcess() throws Exception {
        List<Process> platforms = new java.util.ArrayList<>();
        try {
            long environment = startPlatformAndItsEnvironment(platforms);

            platforms.get(0).destroy();
            platforms.get(0).waitFor(10, TimeUnit.SECONDS);

            assertFalse(ProcessLiveness.aliveAfterWaiting(environment), "an interrupted platform kills its environments");
        } finally {
            platforms.forEach(Process::destroyForcibly);
        }
    }
}
