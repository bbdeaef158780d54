package dev.dbproxy.lambda.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.dbproxy.lambda.platform.environment.ExecutionEnvironmentFactory;
import dev.dbproxy.lambda.platform.process.ProcessEnvironmentFactory;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link ManagedInstancesContract} with process environments under the real runtime interface client 2.10.1, which
 * reads {@code AWS_LAMBDA_MAX_CONCURRENCY} and polls {@code /runtime/invocation/next} from that many threads.
 */
class ManagedInstancesProcessIT extends ManagedInstancesContract {

    @Override
    ExecutionEnvironmentFactory environmentFactory() {
        return ProcessEnvironmentFactory.create();
    }

    @Override
    List<Path> classPath() {
        return List.of(ProcessTaskRoot.get());
    }

    @Test
    void anIdleManagedInstancesProcess_isNeverStopped() throws Exception {
        deployProbe("awake", 2, 1, 1);
        answer(hold("awake"));
        List<Long> processes = ProcessLiveness.environmentsOf("awake");
        assertEquals(1, processes.size(), "one environment process: " + processes);

        assertNotEquals('T', ProcessLiveness.stateAfterWaiting(processes.get(0), 'T'),
                "a managed-instances environment is not frozen between invocations");
    }
}
