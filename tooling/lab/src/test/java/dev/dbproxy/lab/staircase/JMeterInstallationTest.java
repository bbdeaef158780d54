package dev.dbproxy.lab.staircase;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JMeterInstallationTest {

    @TempDir
    Path folder;

    @Test
    void fromPluginConfig_whenTheExecutionIsListed_findsItsHomeAndLauncher() throws IOException {
        Path home = folder.resolve("3f2c9a1e/jmeter");
        Files.createDirectories(home.resolve("bin"));
        Files.createFile(home.resolve("bin/ApacheJMeter-5.6.3.jar"));
        Path config = config(home);

        JMeterInstallation installation = JMeterInstallation.fromPluginConfig(config, "serve-staircase-jmeter");

        assertEquals(new JMeterInstallation(home, "ApacheJMeter-5.6.3.jar"), installation);
        List<String> command = installation.command(Path.of("plan.jmx"), Path.of("results.jtl"),
                Path.of("jmeter.log"), Map.of("port", "3000"));
        assertTrue(command.containsAll(List.of("-jar", home.resolve("bin/ApacheJMeter-5.6.3.jar").toString(), "-n",
                "-Jport=3000")), command.toString());
    }

    @Test
    void fromPluginConfig_whenTheExecutionIsNotListed_namesIt() throws IOException {
        Path config = config(folder);

        IllegalStateException error = assertThrows(IllegalStateException.class,
                () -> JMeterInstallation.fromPluginConfig(config, "another-execution"));

        assertTrue(error.getMessage().contains("another-execution"), error.getMessage());
    }

    @Test
    void fromPluginConfig_whenTheFileIsMissing_saysWhichProfileWritesIt() {
        IllegalStateException error = assertThrows(IllegalStateException.class,
                () -> JMeterInstallation.fromPluginConfig(folder.resolve("config.json"), "serve-staircase-jmeter"));

        assertTrue(error.getMessage().contains("serve-staircase profile"), error.getMessage());
    }

    private Path config(Path home) throws IOException {
        String json = """
                {"configurations": [{"executionID": "serve-staircase-jmeter", "jmeterDirectoryPath": "%s",
                  "runtimeJarName": "ApacheJMeter-5.6.3.jar", "resultsOutputIsCSVFormat": true}]}
                """.formatted(home.toString().replace("\\", "\\\\"));
        return Files.writeString(folder.resolve("config.json"), json);
    }
}
