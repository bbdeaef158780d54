package dev.dbproxy.lambda.platform;

import dev.dbproxy.lambda.platform.InvocationResult.Completed;
import dev.dbproxy.lambda.platform.InvocationResult.FunctionFailed;
import dev.dbproxy.lambda.platform.InvocationResult.SnapStartFailed;
import dev.dbproxy.lambda.platform.environment.EnvironmentInitException;
import dev.dbproxy.lambda.platform.environment.EnvironmentRestoreException;
import dev.dbproxy.lambda.platform.environment.EnvironmentSpec;
import dev.dbproxy.lambda.platform.environment.ExecutionEnvironment;
import dev.dbproxy.lambda.platform.environment.FunctionErrors;
import dev.dbproxy.lambda.platform.environment.InvocationInput;
import dev.dbproxy.lambda.platform.environment.InvocationLog;
import dev.dbproxy.lambda.platform.environment.InvocationOutput;
import dev.dbproxy.lambda.platform.environment.ResourceUsage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One function under one name, across its deployments: its environments (idle, busy, zombie), its concurrency and its
 * statistics. An environment belongs to the deployment that created it; after a redeploy, idle ones are retired at
 * once and busy ones as soon as their invocation ends.
 */
final class DeployedFunction {

    private static final Logger LOG = LoggerFactory.getLogger(DeployedFunction.class);
    /** Lambda's synchronous response limit. */
    static final int MAX_RESPONSE_BYTES = 6_291_556;
    /** Lambda limits the INIT phase to 10 s. */
    private static final Duration INIT_TIMEOUT = Duration.ofSeconds(10);
    private static final DateTimeFormatter LOG_STREAM_DATE = DateTimeFormatter.ofPattern("yyyy/MM/dd", Locale.ROOT);

    private final String name;
    private final String arn;
    private final PlatformServices services;
    private final FunctionStatistics statistics = new FunctionStatistics();
    private final AtomicInteger reservedInFlight = new AtomicInteger();
    private final Set<PooledEnvironment> environments = ConcurrentHashMap.newKeySet();
    private final ConcurrentLinkedQueue<Zombie> zombies = new ConcurrentLinkedQueue<>();
    private final Set<Invocation> running = ConcurrentHashMap.newKeySet();
    /** CPU time of the environments that are gone, read just before they ended. */
    private final java.util.concurrent.atomic.AtomicLong endedCpuNanos = new java.util.concurrent.atomic.AtomicLong();
    private volatile Deployment deployment;
    /** The environments when the function runs on managed instances; null on Lambda's default compute. */
    private final ManagedInstancesFleet fleet;

    /**
     * The variables and the idle environments of one version of the function's code and configuration, and, for a
     * SnapStart function, its snapshot: the environment the next cold start restores.
     */
    private record Deployment(FunctionDefinition definition, Map<String, String> variables,
                              ConcurrentLinkedDeque<PooledEnvironment> idle,
                              AtomicReference<CompletableFuture<ExecutionEnvironment>> snapshot) {
    }

    private static final class PooledEnvironment {
        final ExecutionEnvironment environment;
        final Deployment deployment;
        volatile long idleSinceNanos;
        /** Ends the running invocation as a crash; true when it was still running. Null before the first one. */
        volatile BooleanSupplier crash;

        PooledEnvironment(ExecutionEnvironment environment, Deployment deployment) {
            this.environment = environment;
            this.deployment = deployment;
        }
    }

    private record Zombie(ExecutionEnvironment environment, long abandonedAtNanos) {
    }

    DeployedFunction(FunctionDefinition definition, PlatformServices services) {
        this.name = definition.name();
        this.arn = services.functionArn(name);
        this.services = services;
        this.deployment = newDeployment(definition);
        takeSnapshot(deployment);
        if (definition.runsOnManagedInstances()) {
            fleet = new ManagedInstancesFleet(this, services, statistics);
            fleet.deploy(definition, deployment.variables());
        } else {
            fleet = null;
        }
    }

    String name() {
        return name;
    }

    String arn() {
        return arn;
    }

    FunctionDefinition definition() {
        return deployment.definition();
    }

    FunctionStatistics statistics() {
        return statistics;
    }

    /** The function's metrics now. */
    FunctionMetrics metrics() {
        return statistics.snapshot(name, fleet == null ? ManagedInstancesUsage.NONE : fleet.usage());
    }

    /** Zeroes the counters; the peaks restart from the current counts. */
    void resetMetrics() {
        statistics.reset();
        if (fleet != null) {
            fleet.resetUsage();
        }
    }

    /** Replaces the code or configuration: every environment of the previous deployment is retired. */
    void redeploy(FunctionDefinition definition) {
        if (fleet != null) {
            Deployment next = newDeployment(definition);
            fleet.deploy(definition, next.variables());
            deployment = next;
            return;
        }
        Deployment previous = deployment;
        deployment = newDeployment(definition);
        takeSnapshot(deployment);
        discardSnapshot(previous);
        PooledEnvironment idle;
        while ((idle = previous.idle().pollFirst()) != null) {
            retire(idle);
        }
    }

    private Deployment newDeployment(FunctionDefinition definition) {
        Map<String, String> variables = new LinkedHashMap<>();
        variables.put(LambdaEnvironmentVariables.ENDPOINT_URL_LAMBDA, services.invokeEndpoint());
        variables.putAll(definition.environment());
        variables.put(LambdaEnvironmentVariables.ACCESS_KEY_ID, "local");
        variables.put(LambdaEnvironmentVariables.SECRET_ACCESS_KEY, "local");
        variables.put(LambdaEnvironmentVariables.SESSION_TOKEN, "local");
        variables.put(LambdaEnvironmentVariables.FUNCTION_NAME, name);
        variables.put(LambdaEnvironmentVariables.FUNCTION_MEMORY_SIZE, Integer.toString(definition.memoryMb()));
        variables.put(LambdaEnvironmentVariables.FUNCTION_VERSION,
                definition.runsOnManagedInstances() ? "$LATEST.PUBLISHED" : "$LATEST");
        if (definition.runsOnManagedInstances()) {
            variables.put(LambdaEnvironmentVariables.MAX_CONCURRENCY,
                    Integer.toString(definition.maxConcurrencyPerEnvironment()));
        }
        boolean snapStart = modelsSnapStart(definition);
        if (!snapStart) {
            // Lambda sets neither log variable in a SnapStart function: one snapshot serves many log streams
            variables.put(LambdaEnvironmentVariables.LOG_GROUP_NAME, logGroupName());
        }
        variables.put(LambdaEnvironmentVariables.REGION, services.region());
        variables.put(LambdaEnvironmentVariables.DEFAULT_REGION, services.region());
        variables.put(LambdaEnvironmentVariables.EXECUTION_ENV, "AWS_Lambda_" + definition.runtime());
        variables.put(LambdaEnvironmentVariables.INITIALIZATION_TYPE, snapStart ? EnvironmentSpec.SNAP_START : "on-demand");
        variables.put(LambdaEnvironmentVariables.TZ, ":UTC");
        variables.put("_HANDLER", definition.handler());
        return new Deployment(definition, Map.copyOf(variables), new ConcurrentLinkedDeque<>(), new AtomicReference<>());
    }

    /**
     * Starts the environment a SnapStart deployment's next cold start restores: its init runs now, ahead of any
     * invocation, as Lambda runs it when it publishes the version, and it waits, stopped, at its checkpoint. Each
     * cold start takes the snapshot and starts the next one (a process environment cannot be cloned).
     */
    private void takeSnapshot(Deployment current) {
        if (!modelsSnapStart(current.definition()) || services.isClosed()) {
            return;
        }
        CompletableFuture<ExecutionEnvironment> snapshot = new CompletableFuture<>();
        if (!current.snapshot().compareAndSet(null, snapshot)) {
            return;
        }
        services.environmentFactory().start(environmentSpec(current, services.nextEnvironmentId()))
                .whenComplete((environment, error) -> {
                    if (error != null) {
                        snapshot.completeExceptionally(error);
                    } else if (!snapshot.complete(environment) || deployment != current || services.isClosed()) {
                        environment.destroy();
                    }
                });
    }

    /** Destroys a replaced deployment's snapshot: it never served, and holds no connection. */
    private static CompletableFuture<Void> discardSnapshot(Deployment previous) {
        CompletableFuture<ExecutionEnvironment> snapshot = previous.snapshot().getAndSet(null);
        if (snapshot == null) {
            return CompletableFuture.completedFuture(null);
        }
        return snapshot.handle((environment, error) -> environment)
                .thenCompose(environment -> environment == null ? CompletableFuture.completedFuture(null) : environment.destroy());
    }

    /**
     * Completes when the environment the next cold start of this SnapStart function restores has been initialized
     * and checkpointed (at once for other functions); fails when its init failed.
     */
    CompletableFuture<Void> snapshotTaken() {
        CompletableFuture<ExecutionEnvironment> snapshot = deployment.snapshot().get();
        return snapshot == null ? CompletableFuture.completedFuture(null) : snapshot.thenApply(environment -> null);
    }

    /** Whether the function's environments are restored SnapStart environments here (process environments only). */
    private boolean modelsSnapStart(FunctionDefinition definition) {
        return definition.snapStart() && !definition.runsOnManagedInstances()
                && services.environmentFactory().modelsSnapStart();
    }

    private String logGroupName() {
        return "/aws/lambda/" + name;
    }

    /** Admits one invocation against the concurrency limits; null when throttled. */
    ConcurrencyLimits.Slot tryAcquire() {
        if (fleet != null) {
            return ConcurrencyLimits.Slot.MANAGED_INSTANCES;
        }
        return services.limits().tryAcquire(deployment.definition().reservedConcurrency(), reservedInFlight);
    }

    String throttleReason() {
        return deployment.definition().hasReservedConcurrency()
                ? ConcurrencyLimits.RESERVED_LIMIT_EXCEEDED : ConcurrencyLimits.ACCOUNT_LIMIT_EXCEEDED;
    }

    /** Runs one admitted invocation in a warm environment, or in a new one (a cold start). */
    CompletableFuture<InvocationResult> invoke(Invocation invocation) {
        running.add(invocation);
        invocation.result.whenComplete((result, error) -> running.remove(invocation));
        if (fleet != null) {
            fleet.invoke(invocation);
            return invocation.result;
        }
        statistics.invoked();
        statistics.busy();
        Deployment current = deployment;
        PooledEnvironment warm = current.idle().pollFirst();
        while (warm != null && !warm.environment.isAlive()) {
            if (environments.remove(warm)) {
                statistics.environmentGone();
            }
            ending(warm.environment).destroy();
            warm = current.idle().pollFirst();
        }
        if (warm != null) {
            run(warm, invocation, StartPhases.WARM);
        } else {
            coldStart(current, invocation);
        }
        return invocation.result;
    }

    private void coldStart(Deployment current, Invocation invocation) {
        statistics.coldStarted();
        statistics.environmentCreated();
        long start = System.nanoTime();
        AtomicBoolean settled = new AtomicBoolean();
        boolean snapStart = modelsSnapStart(current.definition());
        CompletableFuture<ExecutionEnvironment> snapshot = snapStart ? current.snapshot().getAndSet(null) : null;
        if (snapStart) {
            takeSnapshot(current);
        }
        // without a snapshot at hand (another cold start took it), this one's init runs on the invocation's path
        CompletableFuture<ExecutionEnvironment> starting = snapshot != null ? snapshot
                : services.environmentFactory().start(environmentSpec(current, services.nextEnvironmentId()));
        ScheduledFuture<?> initTimer = services.scheduler().schedule(() -> {
            if (settled.compareAndSet(false, true)) {
                starting.thenAccept(ExecutionEnvironment::destroy);
                statistics.recordInitDuration(INIT_TIMEOUT.toNanos());
                endWithoutEnvironment(invocation, FunctionErrors.of(timeoutMessage(invocation.requestId, INIT_TIMEOUT),
                        "Sandbox.Timedout"), true);
            }
        }, INIT_TIMEOUT.toNanos(), TimeUnit.NANOSECONDS);
        starting.whenComplete((environment, error) -> {
            if (!settled.compareAndSet(false, true)) {
                return;
            }
            initTimer.cancel(false);
            if (error != null) {
                Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
                long initNanos = System.nanoTime() - start;
                statistics.recordInitDuration(initNanos);
                byte[] payload = cause instanceof EnvironmentInitException init ? init.errorPayload() : FunctionErrors.fromThrowable(cause);
                LOG.debug("function {}: init failed", name, cause);
                invocation.log.append(new String(payload, StandardCharsets.UTF_8));
                invocation.log.append(String.format(Locale.ROOT, "INIT_REPORT Init Duration: %.2f ms\tPhase: init\tStatus: error",
                        initNanos / 1_000_000.0));
                endWithoutEnvironment(invocation, payload, false);
                return;
            }
            PooledEnvironment pooled = new PooledEnvironment(environment, current);
            environments.add(pooled);
            if (!snapStart) {
                statistics.recordInitDuration(environment.initDuration().toNanos());
                run(pooled, invocation, new StartPhases(environment.initDuration(), Duration.ZERO));
                return;
            }
            // SnapStart: Lambda ran the init when it published the version, so it is no cold start's init here
            environment.restore(invocation.log).whenComplete((restoreDuration, restoreError) -> {
                if (restoreError != null) {
                    restoreFailed(pooled, invocation, restoreError);
                } else {
                    statistics.recordRestoreDuration(restoreDuration.toNanos());
                    run(pooled, invocation, new StartPhases(Duration.ZERO, restoreDuration));
                }
            });
        });
    }

    /**
     * A SnapStart environment's restore failed: Lambda refuses the invocation ({@code SnapStartException}, or
     * {@code SnapStartTimeoutException} when the restore ran too long) without running it; the environment is gone.
     */
    private void restoreFailed(PooledEnvironment pooled, Invocation invocation, Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        boolean timedOut = cause instanceof EnvironmentRestoreException restore && restore.timedOut();
        LOG.debug("function {}: restore failed", name, cause);
        invocation.log.append(cause.getMessage());
        statistics.failed();
        discard(pooled);
        services.limits().release(invocation.slot, reservedInFlight);
        invocation.result.complete(timedOut
                ? new SnapStartFailed(invocation.requestId, SnapStartFailed.TIMEOUT, 408,
                        "Lambda couldn't restore the snapshot within the timeout limit.", invocation.logTail())
                : new SnapStartFailed(invocation.requestId, SnapStartFailed.HOOK_FAILED, 400,
                        "The afterRestore() runtime hook encountered an error. For more information, check the Amazon"
                                + " CloudWatch logs.", invocation.logTail()));
    }

    /**
     * How a new environment began before its first invocation: its init (on demand) or its restore (SnapStart),
     * as the REPORT line shows them; both zero for a warm invocation.
     */
    record StartPhases(Duration init, Duration restore) {
        static final StartPhases WARM = new StartPhases(Duration.ZERO, Duration.ZERO);
    }

    private EnvironmentSpec environmentSpec(Deployment current, String environmentId) {
        return environmentSpec(current.definition(), current.variables(), environmentId);
    }

    /** What a new environment of that configuration needs. */
    EnvironmentSpec environmentSpec(FunctionDefinition definition, Map<String, String> deploymentVariables,
                                    String environmentId) {
        String logStream = LocalDate.now(ZoneOffset.UTC).format(LOG_STREAM_DATE) + "/["
                + deploymentVariables.get(LambdaEnvironmentVariables.FUNCTION_VERSION) + "]" + environmentId;
        Map<String, String> variables = new LinkedHashMap<>(deploymentVariables);
        if (!EnvironmentSpec.SNAP_START.equals(variables.get(LambdaEnvironmentVariables.INITIALIZATION_TYPE))) {
            variables.put(LambdaEnvironmentVariables.LOG_STREAM_NAME, logStream);
        }
        return new EnvironmentSpec(environmentId, name, arn, definition.handler(), definition.memoryMb(), variables,
                definition.classPath(), logGroupName(), logStream, definition.maxConcurrencyPerEnvironment());
    }

    private void endWithoutEnvironment(Invocation invocation, byte[] errorPayload, boolean timedOut) {
        statistics.failed();
        if (timedOut) {
            statistics.timedOut();
        }
        statistics.idle();
        statistics.environmentGone();
        services.limits().release(invocation.slot, reservedInFlight);
        invocation.result.complete(new FunctionFailed(invocation.requestId, errorPayload, invocation.logTail()));
    }

    private void run(PooledEnvironment pooled, Invocation invocation, StartPhases phases) {
        FunctionDefinition definition = pooled.deployment.definition();
        long timeoutNanos = definition.timeout().toNanos();
        long start = System.nanoTime();
        invocation.log.append("START RequestId: " + invocation.requestId + " Version: $LATEST");
        AtomicBoolean settled = new AtomicBoolean();
        CompletableFuture<InvocationOutput> running = pooled.environment.invoke(new InvocationInput(invocation.requestId,
                invocation.payload, start + timeoutNanos, invocation.clientContextJson, invocation.log));
        ScheduledFuture<?> timer = services.scheduler().schedule(() -> {
            if (settled.compareAndSet(false, true)) {
                timedOut(pooled, invocation, definition, phases);
            }
        }, timeoutNanos, TimeUnit.NANOSECONDS);
        pooled.crash = () -> {
            if (!settled.compareAndSet(false, true)) {
                return false;
            }
            timer.cancel(false);
            crashed(pooled, invocation, definition, System.nanoTime() - start, phases);
            return true;
        };
        running.whenComplete((output, error) -> {
            if (!settled.compareAndSet(false, true)) {
                return;
            }
            timer.cancel(false);
            long durationNanos = System.nanoTime() - start;
            statistics.recordDuration(durationNanos);
            InvocationResult result;
            boolean keep = true;
            if (output instanceof InvocationOutput.Response response && response.payload().length <= MAX_RESPONSE_BYTES) {
                report(invocation, pooled.environment, definition, durationNanos, phases);
                result = new Completed(invocation.requestId, response.payload(), invocation.logTail());
            } else {
                statistics.failed();
                byte[] errorPayload;
                if (output instanceof InvocationOutput.Response tooLarge) {
                    errorPayload = FunctionErrors.of("Response payload size (" + tooLarge.payload().length
                            + " bytes) exceeded maximum allowed payload size (" + MAX_RESPONSE_BYTES + " bytes).",
                            "Function.ResponseSizeTooLarge");
                } else if (output instanceof InvocationOutput.Failure failure) {
                    errorPayload = failure.errorPayload();
                    keep = !failure.environmentBroken();
                } else {
                    errorPayload = FunctionErrors.fromThrowable(error);
                    keep = false;
                }
                report(invocation, pooled.environment, definition, durationNanos, phases);
                result = new FunctionFailed(invocation.requestId, errorPayload, invocation.logTail());
            }
            if (keep) {
                release(pooled);
            } else {
                discard(pooled);
            }
            services.limits().release(invocation.slot, reservedInFlight);
            invocation.result.complete(result);
        });
    }

    /**
     * Destroys every environment that is running an invocation now, as a crash or an out-of-memory kill would: each
     * of those invocations ends as a {@code Runtime.ExitError} function error, whatever the handler did meanwhile.
     */
    int destroyBusy() {
        if (fleet != null) {
            return fleet.destroyBusy();
        }
        int destroyed = 0;
        for (PooledEnvironment pooled : List.copyOf(environments)) {
            BooleanSupplier crash = pooled.crash;
            if (crash != null && crash.getAsBoolean()) {
                destroyed++;
            }
        }
        return destroyed;
    }

    private void crashed(PooledEnvironment pooled, Invocation invocation, FunctionDefinition definition, long durationNanos,
                         StartPhases phases) {
        statistics.recordDuration(durationNanos);
        statistics.failed();
        report(invocation, pooled.environment, definition, durationNanos, phases);
        discard(pooled);
        services.limits().release(invocation.slot, reservedInFlight);
        invocation.result.complete(new FunctionFailed(invocation.requestId, FunctionErrors.of("RequestId: "
                + invocation.requestId + " Error: Runtime exited with error: signal: killed", "Runtime.ExitError"),
                invocation.logTail()));
    }

    private void timedOut(PooledEnvironment pooled, Invocation invocation, FunctionDefinition definition, StartPhases phases) {
        statistics.recordDuration(definition.timeout().toNanos());
        statistics.failed();
        statistics.timedOut();
        String message = timeoutMessage(invocation.requestId, definition.timeout());
        invocation.log.append(message);
        report(invocation, pooled.environment, definition, definition.timeout().toNanos(), phases);
        discard(pooled);
        services.limits().release(invocation.slot, reservedInFlight);
        invocation.result.complete(new FunctionFailed(invocation.requestId, FunctionErrors.of(message, "Sandbox.Timedout"),
                invocation.logTail()));
    }

    static String timeoutMessage(String requestId, Duration timeout) {
        return Instant.now() + " " + requestId + " Task timed out after "
                + String.format(Locale.ROOT, "%.2f", timeout.toMillis() / 1000.0) + " seconds";
    }

    /** The END and REPORT lines of an invocation that needed no restore. */
    static void report(Invocation invocation, ExecutionEnvironment environment, FunctionDefinition definition,
                               long durationNanos, Duration initDuration) {
        report(invocation, environment, definition, durationNanos, new StartPhases(initDuration, Duration.ZERO));
    }

    /**
     * The END and REPORT lines; "Max Memory Used" is the process's peak resident memory when it is a process. A
     * restored environment's first REPORT has "Restore Duration" and "Billed Restore Duration" (here all of it is
     * the runtime's hooks, which Lambda bills) instead of "Init Duration", as on Lambda.
     */
    static void report(Invocation invocation, ExecutionEnvironment environment, FunctionDefinition definition,
                               long durationNanos, StartPhases phases) {
        if (!invocation.withLogTail) {
            return;
        }
        long peakBytes = environment.resourceUsage().peakResidentBytes();
        long maxMemoryMb = peakBytes == 0 ? definition.memoryMb() : Math.max(1, peakBytes / (1024 * 1024));
        double durationMillis = durationNanos / 1_000_000.0;
        invocation.log.append("END RequestId: " + invocation.requestId);
        invocation.log.append(String.format(Locale.ROOT,
                "REPORT RequestId: %s\tDuration: %.2f ms\tBilled Duration: %d ms\tMemory Size: %d MB\tMax Memory Used: %d MB%s",
                invocation.requestId, durationMillis, (long) Math.ceil(durationMillis), definition.memoryMb(), maxMemoryMb,
                startPhases(phases)));
    }

    private static String startPhases(StartPhases phases) {
        if (!phases.restore().isZero()) {
            double restoreMillis = phases.restore().toNanos() / 1_000_000.0;
            return String.format(Locale.ROOT, "\tRestore Duration: %.2f ms\tBilled Restore Duration: %d ms", restoreMillis,
                    (long) Math.ceil(restoreMillis));
        }
        return phases.init().isZero() ? ""
                : String.format(Locale.ROOT, "\tInit Duration: %.2f ms", phases.init().toNanos() / 1_000_000.0);
    }

    /** Returns an environment to the idle pool, or retires it when its deployment was replaced meanwhile. */
    private void release(PooledEnvironment pooled) {
        statistics.idle();
        if (deployment != pooled.deployment || services.isClosed()) {
            retire(pooled);
            return;
        }
        pooled.idleSinceNanos = System.nanoTime();
        pooled.deployment.idle().offerFirst(pooled);
        if ((deployment != pooled.deployment || services.isClosed()) && pooled.deployment.idle().remove(pooled)) {
            retire(pooled);
        }
    }

    /** Destroys a busy environment that must not be reused (timeout, fatal error). */
    private void discard(PooledEnvironment pooled) {
        statistics.idle();
        if (environments.remove(pooled)) {
            statistics.environmentGone();
        }
        ending(pooled.environment).destroy();
    }

    /** Reclaims an environment that is no longer in any idle pool, by its deployment's reclaim mode. */
    private void retire(PooledEnvironment pooled) {
        if (!environments.remove(pooled)) {
            return;
        }
        statistics.environmentGone();
        if (!reclaimedGracefully(pooled)) {
            zombies.add(new Zombie(pooled.environment, System.nanoTime()));
            statistics.zombieCreated();
        } else {
            ending(pooled.environment).shutDownGracefully();
        }
    }

    /** Counts what an environment used before it ends, and returns it. */
    ExecutionEnvironment ending(ExecutionEnvironment environment) {
        endedCpuNanos.addAndGet(environment.resourceUsage().cpuTime().toNanos());
        return environment;
    }

    /**
     * What the function's environments use now (live and zombies), with the CPU time of those that are gone added:
     * {@link ResourceUsage#NONE} for in-process environments.
     */
    ResourceUsage resourceUsage() {
        ResourceUsage total = new ResourceUsage(0, 0, java.time.Duration.ofNanos(endedCpuNanos.get()));
        for (PooledEnvironment pooled : environments) {
            total = total.plus(pooled.environment.resourceUsage());
        }
        for (Zombie zombie : zombies) {
            total = total.plus(zombie.environment().resourceUsage());
        }
        return fleet == null ? total : total.plus(fleet.resourceUsage());
    }

    /** The function's reclaim mode, unless the environment decides itself (a process: by its extensions). */
    private static boolean reclaimedGracefully(PooledEnvironment pooled) {
        return pooled.environment.reclaimedGracefully(pooled.deployment.definition().reclaimMode() == ReclaimMode.GRACEFUL);
    }

    /** Reclaims the idle environments that idled at least that long; returns how many. */
    int reclaimIdle(Duration idleAtLeast) {
        if (fleet != null) {
            return fleet.reclaimIdle(idleAtLeast);
        }
        long now = System.nanoTime();
        int reclaimed = 0;
        Deployment current = deployment;
        for (PooledEnvironment pooled : current.idle()) {
            if (now - pooled.idleSinceNanos >= idleAtLeast.toNanos() && current.idle().remove(pooled)) {
                retire(pooled);
                reclaimed++;
            }
        }
        return reclaimed;
    }

    /** Tears down the zombies abandoned at least that long ago; returns how many. */
    int tearDownZombies(Duration abandonedAtLeast) {
        long now = System.nanoTime();
        int tornDown = 0;
        for (Zombie zombie : zombies) {
            if (now - zombie.abandonedAtNanos() >= abandonedAtLeast.toNanos() && zombies.remove(zombie)) {
                statistics.zombieGone();
                ending(zombie.environment()).destroy();
                tornDown++;
            }
        }
        return tornDown;
    }

    /**
     * Ends every environment at once (platform shutdown): graceful ones are shut down, the others destroyed; running
     * invocations end as function errors, since their timeouts can no longer fire.
     */
    List<CompletableFuture<Void>> closeAll() {
        // The running invocations end first: tearing their environments down would otherwise let the handlers fail
        // with whatever the interruption makes them throw.
        for (Invocation invocation : List.copyOf(running)) {
            invocation.result.complete(new FunctionFailed(invocation.requestId,
                    FunctionErrors.of("the local platform was closed during the invocation", "Sandbox.Closed"), invocation.logTail()));
        }
        List<CompletableFuture<Void>> done = fleet == null ? new ArrayList<>() : fleet.closeAll();
        done.add(discardSnapshot(deployment));
        for (PooledEnvironment pooled : List.copyOf(environments)) {
            if (environments.remove(pooled)) {
                statistics.environmentGone();
                done.add(reclaimedGracefully(pooled) ? pooled.environment.shutDownGracefully() : pooled.environment.destroy());
            }
        }
        Zombie zombie;
        while ((zombie = zombies.poll()) != null) {
            statistics.zombieGone();
            done.add(zombie.environment().destroy());
        }
        return done;
    }

    /** One invocation on its way through the platform. */
    static final class Invocation {
        final String requestId;
        final byte[] payload;
        final String clientContextJson;
        final boolean withLogTail;
        final ConcurrencyLimits.Slot slot;
        final InvocationLog log = new InvocationLog();
        final CompletableFuture<InvocationResult> result = new CompletableFuture<>();

        Invocation(String requestId, byte[] payload, String clientContextJson, boolean withLogTail, ConcurrencyLimits.Slot slot) {
            this.requestId = requestId;
            this.payload = payload;
            this.clientContextJson = clientContextJson;
            this.withLogTail = withLogTail;
            this.slot = slot;
        }

        String logTail() {
            return withLogTail ? log.tail() : "";
        }
    }
}
