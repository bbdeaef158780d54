package dev.dbproxy.lambda.platform;

import dev.dbproxy.lambda.platform.environment.ExecutionEnvironmentFactory;
import dev.dbproxy.lambda.platform.environment.InProcessEnvironmentFactory;
import java.nio.file.Path;
import java.util.List;

/** {@link ManagedInstancesContract} with in-process environments (a class loader and a thread pool each). */
class ManagedInstancesIT extends ManagedInstancesContract {

    @Override
    ExecutionEnvironmentFactory environmentFactory() {
        return InProcessEnvironmentFactory.create();
    }

    @Override
    List<Path> classPath() {
        return List.of();
    }
}
