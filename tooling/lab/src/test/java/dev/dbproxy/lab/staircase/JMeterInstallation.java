package dev.dbproxy.lab.staircase;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The JMeter home that {@code jmeter-maven-plugin}'s {@code configure} goal builds under {@code target/} (it names
 * the folder at random and records it in {@code target/config.json}), and JMeter runs in non-GUI mode from it as a
 * child process, so that the lab starts and stops it like any other process.
 *
 * @param home       the JMeter home ({@code bin/}, {@code lib/})
 * @param runtimeJar the launcher jar in {@code bin/}, e.g. {@code ApacheJMeter-5.6.3.jar}
 */
record JMeterInstallation(Path home, String runtimeJar) {

    /**
     * The installation the plugin's execution {@code executionId} configured.
     *
     * @throws IllegalStateException when the file is missing, names no such execution, or its home has no launcher
     */
    static JMeterInstallation fromPluginConfig(Path configJson, String executionId) {
        if (!Files.isRegularFile(configJson)) {
            throw new IllegalStateException(configJson + " does not exist: run through the serve-staircase profile,"
                    + " whose jmeter-maven-plugin execution " + executionId + " writes it");
        }
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(configJson.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + configJson, e);
        }
        for (JsonNode configuration : root.path("configurations")) {
            if (configuration.path("executionID").asText().equals(executionId)) {
                JMeterInstallation installation = new JMeterInstallation(
                        Path.of(configuration.path("jmeterDirectoryPath").asText()),
                        configuration.path("runtimeJarName").asText());
                if (!Files.isRegularFile(installation.launcher())) {
                    throw new IllegalStateException("no JMeter launcher at " + installation.launcher());
                }
                return installation;
            }
        }
        throw new IllegalStateException(configJson + " has no configuration of execution " + executionId);
    }

    /** {@code bin/<runtimeJar>}. */
    Path launcher() {
        return home.resolve("bin").resolve(runtimeJar);
    }

    /**
     * The command that runs {@code plan} in non-GUI mode, on the JVM running this code.
     *
     * @param properties JMeter properties ({@code -Jname=value}), the plan's and the result file's fields
     */
    List<String> command(Path plan, Path results, Path log, Map<String, String> properties) {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-Xms256m", "-Xmx768m", "-jar", launcher().toString(),
                "-n", "-t", plan.toAbsolutePath().toString(), "-l", results.toAbsolutePath().toString(),
                "-j", log.toAbsolutePath().toString()));
        properties.forEach((name, value) -> command.add("-J" + name + "=" + value));
        return command;
    }

    /**
     * Runs the plan and waits for JMeter to end; its output goes to this process's. The child is destroyed when
     * {@code timeout} passes, when this thread is interrupted and when this JVM shuts down first.
     *
     * @return JMeter's exit code
     * @throws IllegalStateException when JMeter cannot start or does not end within {@code timeout}
     */
    int run(Path plan, Path results, Path log, Map<String, String> properties, Duration timeout)
            throws InterruptedException {
        Process jmeter;
        try {
            jmeter = new ProcessBuilder(command(plan, results, log, properties)).directory(home.resolve("bin").toFile())
                    .inheritIO().start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start JMeter from " + launcher(), e);
        }
        Thread stopJMeter = new Thread(jmeter::destroyForcibly, "stop-jmeter");
        Runtime.getRuntime().addShutdownHook(stopJMeter);
        try {
            if (!jmeter.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("JMeter did not end within " + timeout.toSeconds() + " s; see " + log);
            }
            return jmeter.exitValue();
        } finally {
            jmeter.destroyForcibly();
            jmeter.waitFor(10, TimeUnit.SECONDS);
            try {
                Runtime.getRuntime().removeShutdownHook(stopJMeter);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs anyway
            }
        }
    }
}
