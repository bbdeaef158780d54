package dev.dbproxy.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dbproxy.lab.result.LoadStep;
import dev.dbproxy.lambda.platform.EnvironmentKind;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The command line of {@code compare}: how environments run and the small profile for process environments. */
class CompareOptionsTest {

    @Test
    void environments_areInProcessUnlessProcessIsAsked() {
        assertEquals(EnvironmentKind.IN_PROCESS, CompareCommand.Options.parse(new String[0]).environments());
        assertEquals(EnvironmentKind.PROCESS,
                CompareCommand.Options.parse(new String[] {"--environments", "process"}).environments());
    }

    @Test
    void unknownEnvironmentKind_isRejectedNamingTheAllowedValues() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> CompareCommand.Options.parse(new String[] {"--environments", "docker"}));

        assertTrue(error.getMessage().contains("process or in-process"), error.getMessage());
    }

    @Test
    void smallProfile_isTheSeedsShapeAtATenthOfItsUsersTenSecondsPerStep() {
        List<LoadStep> steps = CompareCommand.Options.parse(new String[] {"--profile", "small"}).profile().steps();

        assertEquals(List.of(1, 2, 3, 6, 8), steps.stream().map(LoadStep::users).toList());
        assertTrue(steps.stream().allMatch(step -> step.durationSeconds() == 10));
        assertEquals(4, CompareCommand.Options.parse(new String[] {"--profile", "small", "--step-seconds", "4"})
                .profile().steps().get(0).durationSeconds());
    }

    @Test
    void configurations_areAllFiveUnlessStandardIsAsked() {
        assertTrue(CompareCommand.Options.parse(new String[0]).allConfigurations());
        assertFalse(CompareCommand.Options.parse(new String[] {"--configurations", "standard"}).allConfigurations());
        assertTrue(CompareCommand.Options.parse(new String[] {"--configurations", "all", "--functions", "4"})
                .allConfigurations());
    }

    @Test
    void unknownConfigurations_areRejectedNamingTheAllowedValues() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> CompareCommand.Options.parse(new String[] {"--configurations", "managed"}));

        assertTrue(error.getMessage().contains("standard or all"), error.getMessage());
    }

    @Test
    void managedMinEnvironments_areAwsThreeInProcess_oneForProcessEnvironments_orAsAsked() {
        assertEquals(3, CompareCommand.Options.parse(new String[0]).managedMinEnvironments());
        assertEquals(1, CompareCommand.Options.parse(new String[] {"--environments", "process"})
                .managedMinEnvironments());
        assertEquals(2, CompareCommand.Options.parse(new String[] {"--managed-min-environments", "2"})
                .managedMinEnvironments());
        assertThrows(IllegalArgumentException.class,
                () -> CompareCommand.Options.parse(new String[] {"--managed-min-environments", "0"}));
    }
}
