package dev.dbproxy.lambda.platform.process;

import dev.dbproxy.lambda.platform.environment.EnvironmentInitException;
import dev.dbproxy.lambda.platform.environment.EnvironmentRestoreException;
import dev.dbproxy.lambda.platform.environment.EnvironmentSpec;
import dev.dbproxy.lambda.platform.environment.ExecutionEnvironment;
import dev.dbproxy.lambda.platform.environment.FunctionErrors;
import dev.dbproxy.lambda.platform.environment.InvocationInput;
import dev.dbproxy.lambda.platform.environment.InvocationLog;
import dev.dbproxy.lambda.platform.environment.InvocationOutput;
import dev.dbproxy.lambda.platform.environment.ResourceUsage;
import java.io.BufferedReader;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An execution environment that is its own JVM, run as Lambda's java21 runtime runs one: the AWS Lambda runtime
 * interface client with the function's handler, the deployment package as its working folder, the runtime's JVM
 * flags, the heap sized from the memory size, the function's variables and its own Runtime API
 * ({@link RuntimeApiServer}). Stopped (SIGSTOP) whenever it waits for an invocation, resumed (SIGCONT) when one is
 * handed over; destroyed with SIGKILL; shut down gracefully (SIGTERM, 500 ms for shutdown hooks, then SIGKILL) only
 * when an extension registered during its init, as Lambda does. On managed instances
 * ({@link EnvironmentSpec#multiConcurrent()}) it is never stopped, runs {@code AWS_LAMBDA_MAX_CONCURRENCY}
 * invocations at once, and is always shut down gracefully; its output lines then go to the function's logger only
 * (they cannot be told apart by invocation).
 *
 * <p>A SnapStart environment ({@link EnvironmentSpec#snapStart()}) ends its init at {@code restore/next} and stays
 * stopped there, as a snapshot would; {@link #restore} resumes the same process (classes loaded and code compiled as
 * a restored snapshot has them) and lets its runtime run the {@code afterRestore} hooks.
 */
final class ProcessEnvironment implements ExecutionEnvironment, RuntimeApiServer.Listener {

    private static final Logger LOG = LoggerFactory.getLogger(ProcessEnvironment.class);
    /** What Lambda gives the runtime between SIGTERM and SIGKILL when an internal extension is registered. */
    static final Duration SHUTDOWN_GRACE = Duration.ofMillis(500);
    /** Lambda limits the INIT phase to 10 s. */
    static final Duration INIT_TIMEOUT = Duration.ofSeconds(10);
    /** Lambda limits a SnapStart environment's RESTORE phase (its {@code afterRestore} hooks) to 10 s. */
    static final Duration RESTORE_TIMEOUT = Duration.ofSeconds(10);
    private static final long OUTPUT_DRAIN_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    private static final long OUTPUT_QUIET_NANOS = TimeUnit.MICROSECONDS.toNanos(200);

    private final EnvironmentSpec spec;
    private final ProcessSignals signals;
    private final Logger functionLog;
    private final CompletableFuture<ExecutionEnvironment> started = new CompletableFuture<>();
    private final AtomicBoolean gone = new AtomicBoolean();
    private final OutputPipe stdout = new OutputPipe();
    private final OutputPipe stderr = new OutputPipe();
    private final long startNanos = System.nanoTime();
    private RuntimeApiServer runtimeApi;
    private Process process;
    private volatile InvocationLog currentLog;
    private volatile Duration initDuration = Duration.ZERO;

    private ProcessEnvironment(EnvironmentSpec spec, ProcessSignals signals) {
        this.spec = spec;
        this.signals = signals;
        this.functionLog = LoggerFactory.getLogger("lambda." + spec.functionName());
    }

    /** Starts the process; the future completes when the runtime asks for its first invocation. */
    static CompletableFuture<ExecutionEnvironment> start(EnvironmentSpec spec, Launch launch) {
        ProcessEnvironment environment = new ProcessEnvironment(spec, launch.signals());
        try {
            environment.runtimeApi = RuntimeApiServer.start(spec, environment);
            environment.process = launch.processes().start(launch.command(spec, environment.runtimeApi.address()));
        } catch (RuntimeException | IOException e) {
            environment.destroy();
            return CompletableFuture.failedFuture(environment.initError("could not start: " + e.getMessage(),
                    FunctionErrors.fromThrowable(e), e));
        }
        environment.readOutput();
        environment.process.onExit().thenRun(environment::exited);
        CompletableFuture.delayedExecutor(INIT_TIMEOUT.toNanos(), TimeUnit.NANOSECONDS).execute(() -> {
            if (!environment.started.isDone()) {
                environment.destroy();
                environment.started.completeExceptionally(environment.initError("init did not end within " + INIT_TIMEOUT,
                        FunctionErrors.of("init of " + spec.functionName() + " timed out after 10.00 seconds", "Sandbox.Timedout"),
                        null));
            }
        });
        return environment.started;
    }

    /** How to start a process environment: the factory's shared parts. */
    interface Launch {
        ChildProcesses processes();

        ProcessSignals signals();

        ProcessBuilder command(EnvironmentSpec spec, String runtimeApiAddress);
    }

    private EnvironmentInitException initError(String message, byte[] payload, Throwable cause) {
        return new EnvironmentInitException("init of function " + spec.functionName() + " (handler " + spec.handler()
                + ", environment " + spec.environmentId() + ") failed: " + message, payload,
                Duration.ofNanos(System.nanoTime() - startNanos), cause);
    }

    private void readOutput() {
        stdout.start(process.getInputStream(), "stdout");
        stderr.start(process.getErrorStream(), "stderr");
    }

    /** Forwards one output stream, line by line, to the running invocation's log and to the function's log. */
    private final class OutputPipe {
        /** {@link System#nanoTime()} when the reader last started waiting for bytes; 0 while it handles some. */
        private volatile long waitingSince = System.nanoTime();

        void start(InputStream raw, String name) {
            InputStream watched = new FilterInputStream(raw) {
                @Override
                public int read(byte[] buffer, int offset, int length) throws IOException {
                    waitingSince = System.nanoTime();
                    try {
                        return super.read(buffer, offset, length);
                    } finally {
                        waitingSince = 0;
                    }
                }
            };
            Thread.ofVirtual().name("lambda-" + spec.environmentId() + "-" + name).start(() -> {
                try (BufferedReader lines = new BufferedReader(new InputStreamReader(watched, StandardCharsets.UTF_8))) {
                    for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                        InvocationLog log = currentLog;
                        if (log != null) {
                            log.append(line);
                        }
                        functionLog.info("{}", line);
                    }
                } catch (IOException closed) {
                    // the process is gone
                }
            });
        }

        /**
         * Whether the reader has been waiting for bytes for a while: what the runtime wrote before it answered has
         * been read (its answer crossed a socket and an HTTP parser, far slower than a pipe).
         */
        boolean drained() {
            long since = waitingSince;
            return since != 0 && System.nanoTime() - since >= OUTPUT_QUIET_NANOS;
        }
    }

    @Override
    public String id() {
        return spec.environmentId();
    }

    @Override
    public Duration initDuration() {
        return initDuration;
    }

    /** The process's id, for tests and diagnostics. */
    long pid() {
        return process.pid();
    }

    @Override
    public void initDone() {
        initDuration = Duration.ofNanos(System.nanoTime() - startNanos);
        Thread.ofVirtual().start(() -> started.complete(this));
    }

    @Override
    public void initFailed(byte[] errorPayload) {
        Thread.ofVirtual().start(() -> {
            started.completeExceptionally(initError(new String(errorPayload, StandardCharsets.UTF_8), errorPayload, null));
            destroy();
        });
    }

    @Override
    public void freeze() {
        if (!gone.get()) {
            signals.stop(process.pid());
        }
    }

    @Override
    public void thaw() {
        if (!gone.get()) {
            signals.resume(process.pid());
        }
    }

    @Override
    public void beforeResult() {
        long until = System.nanoTime() + OUTPUT_DRAIN_NANOS;
        while (!(stdout.drained() && stderr.drained()) && System.nanoTime() < until) {
            Thread.onSpinWait();
            Thread.yield();
        }
    }

    private void exited() {
        int status = process.exitValue();
        String reason = status > 128 ? "signal: " + signalName(status - 128) : "exit status " + status;
        if (!started.isDone()) {
            started.completeExceptionally(initError("Runtime exited with error: " + reason, FunctionErrors.of(
                    "Runtime exited with error: " + reason, "Runtime.ExitError"), null));
        }
        runtimeApi.failRestore(new EnvironmentRestoreException("environment " + spec.environmentId() + " of function "
                + spec.functionName() + " exited during its restore: " + reason, false));
        for (RuntimeApiServer.Handed running : runtimeApi.takeAll()) {
            running.output().complete(new InvocationOutput.Failure(FunctionErrors.of("RequestId: "
                    + running.input().requestId() + " Error: Runtime exited with error: " + reason, "Runtime.ExitError"), true));
        }
        runtimeApi.close();
    }

    private static String signalName(int signal) {
        return switch (signal) {
            case 9 -> "killed";
            case 15 -> "terminated";
            case 6 -> "aborted";
            default -> "signal " + signal;
        };
    }

    @Override
    public CompletableFuture<Duration> restore(InvocationLog log) {
        if (!spec.snapStart()) {
            return CompletableFuture.completedFuture(Duration.ZERO);
        }
        if (gone.get()) {
            return CompletableFuture.failedFuture(new EnvironmentRestoreException("environment " + spec.environmentId()
                    + " of function " + spec.functionName() + " is gone", false));
        }
        currentLog = log;
        CompletableFuture<Duration> restoring = runtimeApi.restore();
        CompletableFuture.delayedExecutor(RESTORE_TIMEOUT.toNanos(), TimeUnit.NANOSECONDS).execute(() -> {
            if (runtimeApi.failRestore(new EnvironmentRestoreException("restore of environment " + spec.environmentId()
                    + " of function " + spec.functionName() + " did not end within " + RESTORE_TIMEOUT, true))) {
                destroy();
            }
        });
        return restoring;
    }

    @Override
    public CompletableFuture<InvocationOutput> invoke(InvocationInput input) {
        CompletableFuture<InvocationOutput> output = new CompletableFuture<>();
        if (gone.get()) {
            output.complete(new InvocationOutput.Failure(FunctionErrors.of("the environment is gone", "Runtime.ExitError"), true));
            return output;
        }
        if (!spec.multiConcurrent()) {
            currentLog = input.log();
        }
        runtimeApi.handOver(new RuntimeApiServer.Handed(input, output));
        return output;
    }

    @Override
    public boolean isAlive() {
        return !gone.get() && process != null && process.isAlive();
    }

    @Override
    public boolean reclaimedGracefully(boolean functionSetting) {
        return spec.multiConcurrent() || runtimeApi.extensionRegistered();
    }

    @Override
    public ResourceUsage resourceUsage() {
        Process running = process;
        if (running == null || !running.isAlive()) {
            return ResourceUsage.NONE;
        }
        long rss = 0;
        long peak = 0;
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(running.pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = kilobytes(line) * 1024;
                } else if (line.startsWith("VmHWM:")) {
                    peak = kilobytes(line) * 1024;
                }
            }
        } catch (IOException | RuntimeException exited) {
            return ResourceUsage.NONE;
        }
        Duration cpu = running.toHandle().info().totalCpuDuration().orElse(Duration.ZERO);
        return new ResourceUsage(rss, peak, cpu);
    }

    private static long kilobytes(String statusLine) {
        return Long.parseLong(statusLine.replaceAll("[^0-9]", ""));
    }

    @Override
    public CompletableFuture<Void> shutDownGracefully() {
        if (process == null || !reclaimedGracefully(false)) {
            return destroy();
        }
        if (!gone.compareAndSet(false, true)) {
            return process.onExit().thenApply(exited -> null);
        }
        process.destroy();
        signals.resume(process.pid());
        return process.onExit()
                .completeOnTimeout(process, SHUTDOWN_GRACE.toMillis(), TimeUnit.MILLISECONDS)
                .thenCompose(stillRunning -> {
                    if (stillRunning.isAlive()) {
                        LOG.debug("environment {} did not exit within {} of SIGTERM: SIGKILL", spec.environmentId(), SHUTDOWN_GRACE);
                        stillRunning.destroyForcibly();
                    }
                    return stillRunning.onExit();
                })
                .handle((exited, error) -> {
                    runtimeApi.close();
                    return null;
                });
    }

    @Override
    public CompletableFuture<Void> destroy() {
        if (!gone.compareAndSet(false, true) || process == null) {
            if (runtimeApi != null && process == null) {
                runtimeApi.close();
            }
            return process == null ? CompletableFuture.completedFuture(null) : process.onExit().thenApply(exited -> null);
        }
        process.destroyForcibly();
        return process.onExit().handle((exited, error) -> {
            runtimeApi.close();
            return null;
        });
    }
}
