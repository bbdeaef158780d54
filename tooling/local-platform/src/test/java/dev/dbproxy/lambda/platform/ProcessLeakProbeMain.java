package dev.dbproxy.lambda.platform;

import dev.dbproxy.lambda.platform.handlers.ProcessProbeHandler;
import dev.dbproxy.lambda.platform.process.ProcessEnvironmentFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A platform JVM for {@link ProcessLeakIT} to interrupt or kill: starts one process environment from the task root
 * given as its argument, prints {@code ENVIRONMENT <pid>} and waits. It never closes anything itself.
 */
public final class ProcessLeakProbeMain {

    private ProcessLeakProbeMain() {
    }

    public static void main(String[] args) throws Exception {
        ProcessEnvironmentFactory factory = ProcessEnvironmentFactory.create();
        LocalLambdaPlatform platform = LocalLambdaPlatform.start(PlatformSettings.defaults(), factory);
        platform.deploy(FunctionDefinition.builder("probe", ProcessProbeHandler.class.getName()).memoryMb(256)
                .timeout(Duration.ofSeconds(10)).classPath(List.of(Path.of(args[0]))).build());
        InvocationResult result = platform.invoke("probe", "{}".getBytes(StandardCharsets.UTF_8)).get(30, TimeUnit.SECONDS);
        String payload = new String(((InvocationResult.Completed) result).payload(), StandardCharsets.UTF_8);
        System.out.println("ENVIRONMENT " + payload.replaceAll(".*\"pid\":(\\d+).*", "$1"));
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
