package dev.dbproxy.lambda.platform.process;

import dev.dbproxy.lambda.platform.environment.EnvironmentInitException;
import dev.dbproxy.lambda.platform.environment.EnvironmentSpec;
import dev.dbproxy.lambda.platform.environment.ExecutionEnvironment;
import dev.dbproxy.lambda.platform.environment.ExecutionEnvironmentFactory;
import dev.dbproxy.lambda.platform.environment.FunctionErrors;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Execution environments that are processes, as on Lambda: each one a fresh JVM running the AWS Lambda runtime
 * interface client against its own Runtime API, with nothing on its class path but the client and the function's
 * deployment package (the template's {@code CodeUri}, given as the function's
 * {@link dev.dbproxy.lambda.platform.FunctionDefinition#classPath() class path}: one jar, zip or folder). Frozen
 * between invocations, so that timers do not fire while an environment idles; its sockets are closed by the operating
 * system when it is killed.
 *
 * <p>The JVM is the one running this platform ({@code java.home}), with the flags of Lambda's java21 runtime
 * ({@code -XX:+TieredCompilation -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto}) and
 * {@code -XX:MaxHeapSize} at 85 % of the memory size; the function's {@code JAVA_TOOL_OPTIONS} apply as on Lambda.
 * stdout and stderr go, line by line, to the running invocation's log (its {@code Tail}) and to the SLF4J logger
 * {@code lambda.<function>}.
 *
 * <p>Nothing outlives this JVM: {@link #close()} and a shutdown hook kill every process left, and each runs under
 * {@code setpriv --pdeathsig KILL} (util-linux, Linux only), so even a killed platform leaves none. Close the factory
 * after the platform that uses it.
 */
public final class ProcessEnvironmentFactory implements ExecutionEnvironmentFactory, AutoCloseable {

    private static final double HEAP_SHARE = 0.85;

    private final Path scratch;
    private final ChildProcesses processes = new ChildProcesses(this::deleteTaskRoots);
    private final ProcessSignals signals;
    private final RuntimeInterfaceClient client;
    private final DeploymentPackages packages;
    private final Path java;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Executor starter = task -> Thread.ofVirtual().name("lambda-process-start").start(task);

    private ProcessEnvironmentFactory() {
        try {
            this.scratch = Files.createTempDirectory("local-lambda-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary folder for task roots", e);
        }
        this.client = RuntimeInterfaceClient.locate(scratch);
        this.packages = new DeploymentPackages(scratch);
        this.java = Path.of(System.getProperty("java.home"), "bin", "java");
        this.signals = processes.onLauncher(ProcessSignals::start);
    }

    /**
     * A factory with its own temporary folder for task roots.
     *
     * @throws IllegalStateException when the runtime interface client was not built next to this class, or this is not
     *                               Linux on x86_64 or aarch64
     */
    public static ProcessEnvironmentFactory create() {
        return new ProcessEnvironmentFactory();
    }

    @Override
    public CompletableFuture<ExecutionEnvironment> start(EnvironmentSpec spec) {
        if (closed.get()) {
            return CompletableFuture.failedFuture(new IllegalStateException("the process environment factory is closed"));
        }
        if (spec.classPath().size() != 1) {
            byte[] error = FunctionErrors.of("process environments run the function's deployment package: its class"
                    + " path must be one jar, zip or folder (the template's CodeUri), not " + spec.classPath(),
                    "Runtime.InvalidDeploymentPackage");
            return CompletableFuture.failedFuture(new EnvironmentInitException("function " + spec.functionName()
                    + " has no single deployment package", error, Duration.ZERO, null));
        }
        return CompletableFuture.supplyAsync(() -> spec, starter)
                .thenCompose(ready -> ProcessEnvironment.start(ready, new Launch()));
    }

    /** Process environments model SnapStart: restored in place before their first invocation (see the README). */
    @Override
    public boolean modelsSnapStart() {
        return true;
    }

    /** How many environment processes are alive now (for tests that prove none leaks). */
    public int aliveProcesses() {
        return processes.aliveCount();
    }

    private final class Launch implements ProcessEnvironment.Launch {

        @Override
        public ChildProcesses processes() {
            return processes;
        }

        @Override
        public ProcessSignals signals() {
            return signals;
        }

        @Override
        public ProcessBuilder command(EnvironmentSpec spec, String runtimeApiAddress) {
            Path taskRoot = packages.taskRoot(spec.classPath().get(0));
            List<String> command = new ArrayList<>(List.of(java.toString(),
                    "-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                    "-XX:MaxHeapSize=" + Math.round(spec.memoryMb() * 1024 * HEAP_SHARE) + "k", "-Xshare:auto",
                    "--enable-native-access=ALL-UNNAMED"));
            if (Runtime.version().feature() >= 24) {
                command.add("--sun-misc-unsafe-memory-access=allow");
            }
            command.add("-D" + RuntimeInterfaceClient.JNI_PROPERTY + "=" + client.jniLibrary());
            if (spec.snapStart()) {
                // what Lambda's launch adds for SnapStart: org.crac then registers with the runtime client's context
                command.add("-Dorg.crac.Core.Compat=com.amazonaws.services.lambda.crac");
            }
            command.add("-cp");
            command.add(client.classPath().stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator)));
            command.add(RuntimeInterfaceClient.MAIN_CLASS);
            command.add(spec.handler());
            ProcessBuilder builder = new ProcessBuilder(ChildProcesses.dieWithParent(command)).directory(taskRoot.toFile());
            Map<String, String> environment = builder.environment();
            environment.clear();
            environment.put("PATH", "/usr/local/bin:/usr/bin:/bin");
            environment.put("LANG", "en_US.UTF-8");
            environment.putAll(spec.variables());
            environment.put("AWS_LAMBDA_RUNTIME_API", runtimeApiAddress);
            environment.put("LAMBDA_TASK_ROOT", taskRoot.toString());
            environment.put("LAMBDA_RUNTIME_DIR", client.classPath().get(0).getParent().toString());
            return builder;
        }
    }

    /** Kills every environment process still alive and deletes the task roots. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        processes.close();
        signals.close();
        deleteTaskRoots();
    }

    /** Deletes the temporary folder of extracted deployment packages (after a SIGKILL it stays behind in /tmp). */
    private void deleteTaskRoots() {
        try (Stream<Path> files = Files.walk(scratch)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // a temporary folder left behind is harmless
        }
    }
}
