package dev.dbproxy.lambda.platform;

import dev.dbproxy.lambda.platform.environment.ExecutionEnvironmentFactory;
import java.util.concurrent.ScheduledExecutorService;

/** What every {@link DeployedFunction} of one platform shares. */
interface PlatformServices {

    ScheduledExecutorService scheduler();

    ExecutionEnvironmentFactory environmentFactory();

    ConcurrencyLimits limits();

    CapacityProviders capacityProviders();

    String region();

    String functionArn(String functionName);

    String invokeEndpoint();

    String nextEnvironmentId();

    boolean isClosed();
}
