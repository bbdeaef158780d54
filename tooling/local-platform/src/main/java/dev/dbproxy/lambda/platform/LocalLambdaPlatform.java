package dev.dbproxy.lambda.platform;

import dev.dbproxy.lambda.platform.InvocationResult.Accepted;
import dev.dbproxy.lambda.platform.InvocationResult.FunctionNotFound;
import dev.dbproxy.lambda.platform.InvocationResult.Throttled;
import dev.dbproxy.lambda.platform.environment.ExecutionEnvironmentFactory;
import dev.dbproxy.lambda.platform.environment.InProcessEnvironmentFactory;
import dev.dbproxy.lambda.platform.environment.ResourceUsage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local AWS Lambda platform: functions, their execution environments and the Invoke API over HTTP on loopback, so
 * that the AWS SDK's {@code LambdaAsyncClient} (with {@code endpointOverride(platform.invokeEndpoint())}) cannot tell
 * it from the service for Invoke. See the package documentation for the behaviour and its limits.
 *
 * <p>Thread-safe. Start it with {@link #start(PlatformSettings)}, {@linkplain #deploy(FunctionDefinition) deploy}
 * functions, and {@linkplain #close() close} it when done: closing ends every environment and both HTTP servers.
 */
public final class LocalLambdaPlatform implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalLambdaPlatform.class);
    private static final Duration EVENT_MAX_AGE = Duration.ofHours(6);
    private static final long EVENT_RETRY_MAX_DELAY_MILLIS = 5_000;
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(10);

    private final PlatformSettings settings;
    private final ExecutionEnvironmentFactory environmentFactory;
    private final ConcurrencyLimits limits;
    private final CapacityProviders capacityProviders = new CapacityProviders();
    private final ScheduledExecutorService scheduler;
    private final Map<String, DeployedFunction> functions = new ConcurrentHashMap<>();
    private final List<HttpApiGateway> gateways = new CopyOnWriteArrayList<>();
    private final AtomicLong environmentSequence = new AtomicLong();
    private final InvokeApi invokeApi;
    private final Services services = new Services();
    private volatile Duration idleTimeout;
    private volatile Duration zombieLifetime;
    private volatile boolean closed;

    private LocalLambdaPlatform(PlatformSettings settings, ExecutionEnvironmentFactory environmentFactory) {
        this.settings = settings;
        this.environmentFactory = environmentFactory;
        this.limits = new ConcurrencyLimits(settings.accountConcurrencyLimit());
        this.idleTimeout = settings.idleTimeout();
        this.zombieLifetime = settings.zombieLifetime();
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1,
                Thread.ofPlatform().name("lambda-platform-scheduler").daemon(true).factory());
        executor.setRemoveOnCancelPolicy(true);
        this.scheduler = executor;
        try {
            this.invokeApi = InvokeApi.start(this, new InetSocketAddress(settings.bindAddress(), settings.port()));
        } catch (IOException e) {
            executor.shutdownNow();
            throw new UncheckedIOException("cannot listen on " + settings.bindAddress() + ":" + settings.port(), e);
        }
        long interval = settings.reclaimCheckInterval().toNanos();
        scheduler.scheduleWithFixedDelay(this::reclaimExpired, interval, interval, TimeUnit.NANOSECONDS);
    }

    /** Starts a platform with {@link PlatformSettings#defaults()}: loopback, a free port. */
    public static LocalLambdaPlatform start() {
        return start(PlatformSettings.defaults());
    }

    /**
     * Starts a platform whose environments run in this JVM.
     *
     * @throws UncheckedIOException when the Invoke API cannot listen on the address and port
     */
    public static LocalLambdaPlatform start(PlatformSettings settings) {
        return start(settings, InProcessEnvironmentFactory.create());
    }

    /** Starts a platform whose environments come from the given factory (for another environment implementation). */
    public static LocalLambdaPlatform start(PlatformSettings settings, ExecutionEnvironmentFactory environmentFactory) {
        return new LocalLambdaPlatform(Objects.requireNonNull(settings, "settings"),
                Objects.requireNonNull(environmentFactory, "environmentFactory"));
    }

    /** The settings the platform started with (the idle timeout and zombie lifetime may have changed since). */
    public PlatformSettings settings() {
        return settings;
    }

    /** The Invoke API's base URI, such as {@code http://127.0.0.1:40123}: give it to {@code endpointOverride}. */
    public URI invokeEndpoint() {
        return invokeApi.endpoint();
    }

    /** Where the metrics of all functions are served as JSON: {@code GET <invokeEndpoint>/local/metrics}. */
    public URI metricsEndpoint() {
        return invokeApi.endpoint().resolve(InvokeApi.METRICS_PATH);
    }

    /**
     * Deploys a function. If one of that name exists, this is a redeploy: all its environments are retired by its
     * previous reclaim mode and the next invocations cold-start with the new definition; its metrics continue.
     *
     * @throws IllegalArgumentException when the reserved concurrency of all functions would exceed the account limit,
     *                                  or the definition sets a reserved environment variable
     */
    public synchronized void deploy(FunctionDefinition definition) {
        Objects.requireNonNull(definition, "definition");
        ensureOpen();
        for (String variable : definition.environment().keySet()) {
            if (ReservedVariables.NAMES.contains(variable)) {
                throw new IllegalArgumentException("function " + definition.name() + " sets the reserved environment variable "
                        + variable + "; Lambda sets it itself");
            }
        }
        int reservedTotal = functions.values().stream()
                .filter(function -> !function.name().equals(definition.name()))
                .mapToInt(function -> Math.max(0, function.definition().reservedConcurrency()))
                .sum() + Math.max(0, definition.reservedConcurrency());
        if (reservedTotal > limits.accountLimit()) {
            throw new IllegalArgumentException("reserved concurrency of all functions (" + reservedTotal
                    + ") would exceed the account concurrency limit (" + limits.accountLimit() + ") deploying " + definition.name());
        }
        DeployedFunction existing = functions.get(definition.name());
        checkCompute(definition, existing);
        limits.reservedTotal(reservedTotal);
        if (existing == null) {
            functions.put(definition.name(), new DeployedFunction(definition, services));
            LOG.debug("deployed function {}", definition.name());
        } else {
            existing.redeploy(definition);
            LOG.debug("redeployed function {}", definition.name());
        }
    }

    /**
     * As on AWS, a function keeps the compute it was created with, and the functions of one capacity provider agree
     * on its vCPU limit.
     */
    private void checkCompute(FunctionDefinition definition, DeployedFunction existing) {
        if (existing != null && existing.definition().runsOnManagedInstances() != definition.runsOnManagedInstances()) {
            throw new IllegalArgumentException("function " + definition.name() + " runs on "
                    + (existing.definition().runsOnManagedInstances() ? "managed instances" : "Lambda's default compute")
                    + "; Lambda cannot change that after a function is created (deploy it under another name)");
        }
        if (definition.compute() instanceof ManagedInstances managed) {
            for (DeployedFunction other : functions.values()) {
                if (!other.name().equals(definition.name()) && other.definition().compute() instanceof ManagedInstances theirs
                        && theirs.capacityProvider().equals(managed.capacityProvider())
                        && theirs.maxVCpuCount() != managed.maxVCpuCount()) {
                    throw new IllegalArgumentException("function " + definition.name() + " gives capacity provider "
                            + managed.capacityProvider() + " MaxVCpuCount " + managed.maxVCpuCount() + ", function "
                            + other.name() + " " + theirs.maxVCpuCount() + ": one provider has one limit");
                }
            }
        }
    }

    /** Deploys each function in turn. @see #deploy(FunctionDefinition) */
    public void deployAll(Collection<FunctionDefinition> definitions) {
        definitions.forEach(this::deploy);
    }

    /**
     * Redeploys a function unchanged, as a new code version would be: its environments are retired by its reclaim
     * mode and the next invocations cold-start.
     *
     * @throws IllegalArgumentException when no function has that name
     */
    public void redeploy(String functionName) {
        deploy(function(functionName).definition());
    }

    /**
     * Completes when the environment that a SnapStart function's next cold start restores has run its init and its
     * {@code beforeCheckpoint} hooks (Lambda does that when it publishes a version; here each deployment, and each
     * cold start, prepares the next one); completes at once for other functions and in-process environments.
     *
     * @return fails with {@link dev.dbproxy.lambda.platform.environment.EnvironmentInitException} when that init failed
     * @throws IllegalArgumentException when no function has that name
     */
    public CompletableFuture<Void> snapshotTaken(String functionName) {
        return function(functionName).snapshotTaken();
    }

    /** The names of the deployed functions. */
    public Set<String> functionNames() {
        return Set.copyOf(functions.keySet());
    }

    /** The current definition of a function. @throws IllegalArgumentException when no function has that name */
    public FunctionDefinition definition(String functionName) {
        return function(functionName).definition();
    }

    /** The unqualified ARN of a function name, as this platform's region and account write it. */
    public String functionArn(String functionName) {
        return "arn:aws:lambda:" + settings.region() + ":" + settings.accountId() + ":function:" + functionName;
    }

    /**
     * Invokes a function synchronously (RequestResponse), exactly as the Invoke API does.
     *
     * @param functionNameOrArn a name, {@code name:qualifier}, a full or partial ARN
     * @return emits {@link InvocationResult.Completed}, {@link InvocationResult.FunctionFailed} (handler error,
     *         timeout, oversized response), {@link InvocationResult.SnapStartFailed} (a SnapStart environment's
     *         restore failed), {@link InvocationResult.Throttled} or {@link FunctionNotFound}; never completes
     *         exceptionally. The log tail is empty.
     */
    public CompletableFuture<InvocationResult> invoke(String functionNameOrArn, byte[] payload) {
        return invoke(functionNameOrArn, payload, "", false);
    }

    CompletableFuture<InvocationResult> invoke(String functionNameOrArn, byte[] payload, String clientContextJson, boolean withLogTail) {
        return invoke(functionNameOrArn, UUID.randomUUID().toString(), payload, clientContextJson, withLogTail);
    }

    private CompletableFuture<InvocationResult> invoke(String functionNameOrArn, String requestId, byte[] payload,
                                                       String clientContextJson, boolean withLogTail) {
        DeployedFunction function = resolve(functionNameOrArn);
        if (function == null || closed) {
            return CompletableFuture.completedFuture(new FunctionNotFound(notFoundArn(functionNameOrArn)));
        }
        ConcurrencyLimits.Slot slot = function.tryAcquire();
        if (slot == null) {
            function.statistics().throttled();
            return CompletableFuture.completedFuture(new Throttled(function.throttleReason()));
        }
        return function.invoke(new DeployedFunction.Invocation(requestId, payload, clientContextJson, withLogTail, slot));
    }

    /**
     * Invokes a function asynchronously (Event): it runs later; while it is throttled it is retried with backoff for
     * up to 6 hours, as Lambda's internal queue does. Function errors are logged, not retried.
     *
     * @return {@link Accepted} or {@link FunctionNotFound}
     */
    public InvocationResult invokeEvent(String functionNameOrArn, byte[] payload) {
        if (resolve(functionNameOrArn) == null || closed) {
            return new FunctionNotFound(notFoundArn(functionNameOrArn));
        }
        String requestId = UUID.randomUUID().toString();
        attemptEvent(functionNameOrArn, requestId, payload, System.nanoTime(), 100);
        return new Accepted(requestId);
    }

    private void attemptEvent(String functionNameOrArn, String requestId, byte[] payload, long queuedAtNanos, long delayMillis) {
        invoke(functionNameOrArn, requestId, payload, "", false).thenAccept(result -> {
            if (result instanceof Throttled && !closed && System.nanoTime() - queuedAtNanos < EVENT_MAX_AGE.toNanos()) {
                scheduler.schedule(() -> attemptEvent(functionNameOrArn, requestId, payload, queuedAtNanos,
                        Math.min(delayMillis * 2, EVENT_RETRY_MAX_DELAY_MILLIS)), delayMillis, TimeUnit.MILLISECONDS);
            } else if (result instanceof InvocationResult.FunctionFailed || result instanceof InvocationResult.SnapStartFailed) {
                LOG.info("asynchronous invocation {} of {} failed", requestId, functionNameOrArn);
            }
        });
    }

    /** Whether a name or ARN resolves to a deployed function (a DryRun invocation). */
    public boolean exists(String functionNameOrArn) {
        return resolve(functionNameOrArn) != null;
    }

    /** Reclaims every idle environment now, by each function's reclaim mode; returns how many. */
    public int reclaimIdle() {
        return reclaimIdle(Duration.ZERO);
    }

    /** Reclaims the environments that idled at least that long, by each function's reclaim mode; returns how many. */
    public int reclaimIdle(Duration idleAtLeast) {
        return functions.values().stream().mapToInt(function -> function.reclaimIdle(idleAtLeast)).sum();
    }

    /**
     * Destroys the environments of a function that are running an invocation right now, as a crash would: those
     * invocations end as {@code Runtime.ExitError} function errors and the next ones cold-start. Idle environments are
     * left alone.
     *
     * @return how many environments were destroyed
     * @throws IllegalArgumentException when no function has that name
     */
    public int destroyBusyEnvironments(String functionName) {
        return function(functionName).destroyBusy();
    }

    /** Changes how long environments may idle before the platform reclaims them by itself. */
    public void changeIdleTimeout(Duration idleTimeout) {
        this.idleTimeout = Objects.requireNonNull(idleTimeout, "idleTimeout");
    }

    /** How long environments may idle before the platform reclaims them. */
    public Duration idleTimeout() {
        return idleTimeout;
    }

    /** Changes how long abandoned environments keep their sockets; applies to the zombies that exist too. */
    public void changeZombieLifetime(Duration zombieLifetime) {
        this.zombieLifetime = Objects.requireNonNull(zombieLifetime, "zombieLifetime");
    }

    /** How long abandoned environments keep their sockets. */
    public Duration zombieLifetime() {
        return zombieLifetime;
    }

    /** Tears every zombie down now, whatever its age; returns how many. */
    public int tearDownZombies() {
        return functions.values().stream().mapToInt(function -> function.tearDownZombies(Duration.ZERO)).sum();
    }

    /** A function's metrics. @throws IllegalArgumentException when no function has that name */
    public FunctionMetrics metrics(String functionName) {
        return function(functionName).metrics();
    }

    /** The metrics of every function, by name. */
    public List<FunctionMetrics> metrics() {
        List<FunctionMetrics> all = new ArrayList<>();
        functions.values().forEach(function -> all.add(function.metrics()));
        all.sort(Comparator.comparing(FunctionMetrics::functionName));
        return all;
    }

    /**
     * A function's environment counts now: three volatile reads, cheap enough to sample often.
     *
     * @throws IllegalArgumentException when no function has that name
     */
    public EnvironmentCounts environmentCounts(String functionName) {
        return function(functionName).statistics().environments();
    }

    /**
     * What a function's environments use of the machine, as the operating system counts it: resident memory of the
     * live environments and zombies now, and CPU time including that of environments already gone. Only process
     * environments can tell; in-process ones report nothing.
     *
     * @throws IllegalArgumentException when no function has that name
     */
    public ResourceUsage resourceUsage(String functionName) {
        return function(functionName).resourceUsage();
    }

    /** Zeroes every function's counters and percentiles; peaks restart from the current counts. */
    public void resetMetrics() {
        functions.values().forEach(DeployedFunction::resetMetrics);
    }

    /**
     * Starts an HTTP API gateway (payload format 2.0) in front of this platform's functions, for an API whose routes
     * are open ({@link HttpApiAccess#OPEN}).
     *
     * @param port 0 for a free one
     * @throws UncheckedIOException when it cannot listen
     * @throws IllegalArgumentException when a route names a function that is not deployed
     */
    public HttpApiGateway startHttpApiGateway(List<HttpApiRoute> routes, int port) {
        return startHttpApiGateway(routes, HttpApiAccess.OPEN, port);
    }

    /**
     * Starts an HTTP API gateway (payload format 2.0) in front of this platform's functions for an API that, on AWS,
     * demands what {@code access} says ({@link dev.dbproxy.lambda.platform.template.SamTemplate#httpApiAccess()}).
     * The gateway checks no signature or token and throttles nothing itself; it logs so when it starts.
     *
     * @param port 0 for a free one
     * @throws UncheckedIOException when it cannot listen
     * @throws IllegalArgumentException when a route names a function that is not deployed
     */
    public HttpApiGateway startHttpApiGateway(List<HttpApiRoute> routes, HttpApiAccess access, int port) {
        ensureOpen();
        Objects.requireNonNull(access, "access");
        for (HttpApiRoute route : routes) {
            function(route.functionName());
        }
        HttpApiGateway gateway = HttpApiGateway.start(this, routes, access,
                new InetSocketAddress(settings.bindAddress(), port));
        gateways.add(gateway);
        return gateway;
    }

    /**
     * Stops the HTTP servers and ends every environment at once (graceful ones shut down, the others and all zombies
     * destroyed), waiting up to 10 s for their teardown. Idempotent.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        gateways.forEach(HttpApiGateway::close);
        invokeApi.close();
        scheduler.shutdownNow();
        List<CompletableFuture<Void>> teardowns = new ArrayList<>();
        functions.values().forEach(function -> teardowns.addAll(function.closeAll()));
        try {
            CompletableFuture.allOf(teardowns.toArray(CompletableFuture[]::new)).get(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("some environments were not torn down within {}", CLOSE_WAIT, e);
        }
    }

    private void reclaimExpired() {
        try {
            Duration idle = idleTimeout;
            Duration zombies = zombieLifetime;
            for (DeployedFunction function : functions.values()) {
                function.reclaimIdle(idle);
                function.tearDownZombies(zombies);
            }
        } catch (RuntimeException e) {
            LOG.warn("reclaiming idle environments failed", e);
        }
    }

    private DeployedFunction function(String functionName) {
        DeployedFunction function = functions.get(functionName);
        if (function == null) {
            throw new IllegalArgumentException("no function named " + functionName + " is deployed");
        }
        return function;
    }

    private DeployedFunction resolve(String functionNameOrArn) {
        return functions.get(FunctionReference.parse(functionNameOrArn).name());
    }

    private String notFoundArn(String functionNameOrArn) {
        FunctionReference reference = FunctionReference.parse(functionNameOrArn);
        return functionArn(reference.name()) + (reference.qualifier().isEmpty() ? "" : ":" + reference.qualifier());
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the platform is closed");
        }
    }

    /** The environment variables Lambda reserves: a function may not set them. */
    private static final class ReservedVariables {
        static final Set<String> NAMES = Set.of(
                LambdaEnvironmentVariables.FUNCTION_NAME, LambdaEnvironmentVariables.FUNCTION_MEMORY_SIZE,
                LambdaEnvironmentVariables.FUNCTION_VERSION, LambdaEnvironmentVariables.LOG_GROUP_NAME,
                LambdaEnvironmentVariables.LOG_STREAM_NAME, LambdaEnvironmentVariables.REGION,
                LambdaEnvironmentVariables.DEFAULT_REGION, LambdaEnvironmentVariables.EXECUTION_ENV,
                LambdaEnvironmentVariables.INITIALIZATION_TYPE, LambdaEnvironmentVariables.ACCESS_KEY_ID,
                LambdaEnvironmentVariables.SECRET_ACCESS_KEY, LambdaEnvironmentVariables.SESSION_TOKEN,
                LambdaEnvironmentVariables.MAX_CONCURRENCY, "AWS_LAMBDA_RUNTIME_API", "LAMBDA_TASK_ROOT", "LAMBDA_RUNTIME_DIR", "_HANDLER", "_X_AMZN_TRACE_ID");
    }

    private final class Services implements PlatformServices {

        @Override
        public ScheduledExecutorService scheduler() {
            return scheduler;
        }

        @Override
        public ExecutionEnvironmentFactory environmentFactory() {
            return environmentFactory;
        }

        @Override
        public ConcurrencyLimits limits() {
            return limits;
        }

        @Override
        public CapacityProviders capacityProviders() {
            return capacityProviders;
        }

        @Override
        public String region() {
            return settings.region();
        }

        @Override
        public String functionArn(String functionName) {
            return LocalLambdaPlatform.this.functionArn(functionName);
        }

        @Override
        public String invokeEndpoint() {
            return invokeApi.endpoint().toString();
        }

        @Override
        public String nextEnvironmentId() {
            return Long.toHexString(System.nanoTime() & 0xffffffL) + "-" + environmentSequence.incrementAndGet();
        }

        @Override
        public boolean isClosed() {
            return closed;
        }
    }

    /** Runs tasks on the executor, or in the calling thread once the executor is shut down (so no answer is lost). */
    static Executor orInline(ExecutorService executor) {
        return task -> {
            try {
                executor.execute(task);
            } catch (RejectedExecutionException closed) {
                task.run();
            }
        };
    }

    /** A virtual thread per task, named for the HTTP server it serves. */
    static ExecutorService requestExecutor(String name) {
        return Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name(name + "-", 0).factory());
    }
}
