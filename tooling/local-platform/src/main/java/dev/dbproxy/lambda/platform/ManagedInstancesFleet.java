package dev.dbproxy.lambda.platform;

import dev.dbproxy.lambda.platform.InvocationResult.Completed;
import dev.dbproxy.lambda.platform.InvocationResult.FunctionFailed;
import dev.dbproxy.lambda.platform.InvocationResult.Throttled;
import dev.dbproxy.lambda.platform.environment.ExecutionEnvironment;
import dev.dbproxy.lambda.platform.environment.FunctionErrors;
import dev.dbproxy.lambda.platform.environment.InvocationInput;
import dev.dbproxy.lambda.platform.environment.InvocationOutput;
import dev.dbproxy.lambda.platform.environment.ResourceUsage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The execution environments of one function on {@link ManagedInstances}: each takes up to its maximum of
 * invocations at once; an invocation goes to the least busy environment with a free slot, or is refused (429) when
 * none has one; environments start ahead of demand when the busy share of the slots passes the target utilization
 * (or an invocation was refused), within the function's maximum and its capacity provider's vCPUs; idle ones above
 * the minimum shut down gracefully. See the module README for where this simplifies AWS.
 */
final class ManagedInstancesFleet {

    private static final Logger LOG = LoggerFactory.getLogger(ManagedInstancesFleet.class);
    /**
     * The init limit here, as for Lambda's default compute (and process environments enforce it themselves); AWS
     * gives a managed-instances init the larger of 130 s and the function's timeout.
     */
    private static final Duration INIT_TIMEOUT = Duration.ofSeconds(10);
    /** How long deploying waits for the minimum environments, as AWS does before a version becomes active. */
    private static final Duration ACTIVATION_WAIT = Duration.ofSeconds(60);

    private final DeployedFunction function;
    private final PlatformServices services;
    private final FunctionStatistics statistics;
    private final Set<Member> members = ConcurrentHashMap.newKeySet();
    private final Object scaling = new Object();
    private final AtomicLong environmentsStarted = new AtomicLong();
    private final AtomicInteger peakPerEnvironment = new AtomicInteger();
    private final AtomicLong endedEnvironmentNanos = new AtomicLong();
    private final AtomicLong endedVCpuNanos = new AtomicLong();
    private volatile long usageSinceNanos = System.nanoTime();
    private volatile Generation generation;

    /** One deployment's configuration and its environments that take invocations. */
    private static final class Generation {
        final FunctionDefinition definition;
        final ManagedInstances settings;
        final Map<String, String> variables;
        final List<Member> ready = new CopyOnWriteArrayList<>();
        final AtomicInteger starting = new AtomicInteger();
        volatile String lastInitError = "";
        /** Set once another configuration replaced this one. */
        volatile boolean retired;

        Generation(FunctionDefinition definition, Map<String, String> variables) {
            this.definition = definition;
            this.settings = (ManagedInstances) definition.compute();
            this.variables = variables;
        }

        int maxConcurrency() {
            return definition.maxConcurrencyPerEnvironment();
        }

        int vCpus() {
            return settings.vCpusPerEnvironment(definition.memoryMb());
        }
    }

    /** One environment and its invocation slots; {@code inFlight} is -1 once it is closing. */
    private static final class Member {
        final ExecutionEnvironment environment;
        final Generation generation;
        final long startedNanos;
        final AtomicInteger inFlight = new AtomicInteger();
        final Set<BooleanSupplier> crashes = ConcurrentHashMap.newKeySet();
        volatile long idleSinceNanos = System.nanoTime();

        Member(ExecutionEnvironment environment, Generation generation, long startedNanos) {
            this.environment = environment;
            this.generation = generation;
            this.startedNanos = startedNanos;
        }

        /** Takes a slot; returns the invocations running before, or -1 when the environment is full or closing. */
        int tryEnter() {
            while (true) {
                int current = inFlight.get();
                if (current < 0 || current >= generation.maxConcurrency()) {
                    return -1;
                }
                if (inFlight.compareAndSet(current, current + 1)) {
                    return current;
                }
            }
        }

        boolean tryClose() {
            return inFlight.compareAndSet(0, -1);
        }
    }

    ManagedInstancesFleet(DeployedFunction function, PlatformServices services, FunctionStatistics statistics) {
        this.function = function;
        this.services = services;
        this.statistics = statistics;
    }

    /**
     * Makes a configuration current: starts its minimum environments and waits for them (a version becomes active
     * on AWS only then), then retires the previous configuration's environments (idle ones now, busy ones when their
     * last invocation ends).
     *
     * @throws IllegalStateException when not one of the minimum environments initialized
     */
    void deploy(FunctionDefinition definition, Map<String, String> variables) {
        Generation next = new Generation(definition, variables);
        List<CompletableFuture<Member>> started = new ArrayList<>();
        synchronized (scaling) {
            for (int i = 0; i < next.settings.minEnvironments(); i++) {
                CompletableFuture<Member> one = startEnvironment(next);
                if (one == null) {
                    break;
                }
                started.add(one);
            }
        }
        try {
            CompletableFuture.allOf(started.toArray(CompletableFuture[]::new))
                    .get(ACTIVATION_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            LOG.warn("function {}: not every minimum environment started within {}", function.name(), ACTIVATION_WAIT);
        }
        if (!started.isEmpty() && next.ready.isEmpty()) {
            throw new IllegalStateException("managed-instances function " + function.name() + " did not become active:"
                    + " none of its " + started.size() + " minimum environments initialized (" + next.lastInitError + ")");
        }
        Generation previous = generation;
        generation = next;
        if (previous != null) {
            previous.retired = true;
            for (Member member : previous.ready) {
                if (member.tryClose()) {
                    end(member, true);
                }
            }
        }
    }

    /** Routes one invocation to an environment with a free slot, or refuses it as Lambda does (429). */
    void invoke(DeployedFunction.Invocation invocation) {
        Generation current = generation;
        Member chosen = null;
        for (Member member : leastBusyFirst(current)) {
            int before = member.tryEnter();
            if (before >= 0) {
                chosen = member;
                if (before == 0) {
                    statistics.busy();
                }
                peakPerEnvironment.accumulateAndGet(before + 1, Math::max);
                break;
            }
        }
        scaleOut(current, chosen == null);
        if (chosen == null) {
            statistics.throttled();
            invocation.result.complete(new Throttled(ConcurrencyLimits.ACCOUNT_LIMIT_EXCEEDED));
            return;
        }
        statistics.invoked();
        run(chosen, invocation);
    }

    /** The environments by their invocations now, read once each (they change while the list is sorted). */
    private static List<Member> leastBusyFirst(Generation current) {
        List<Map.Entry<Member, Integer>> loads = new ArrayList<>();
        for (Member member : current.ready) {
            loads.add(Map.entry(member, member.inFlight.get()));
        }
        loads.sort(Map.Entry.comparingByValue());
        return loads.stream().map(Map.Entry::getKey).toList();
    }

    private void run(Member member, DeployedFunction.Invocation invocation) {
        FunctionDefinition definition = member.generation.definition;
        long timeoutNanos = definition.timeout().toNanos();
        long start = System.nanoTime();
        invocation.log.append("START RequestId: " + invocation.requestId + " Version: $LATEST.PUBLISHED");
        AtomicBoolean settled = new AtomicBoolean();
        CompletableFuture<InvocationOutput> running = member.environment.invoke(new InvocationInput(invocation.requestId,
                invocation.payload, start + timeoutNanos, invocation.clientContextJson, invocation.log));
        // On managed instances a timeout fails the invocation but neither stops its code nor ends the environment:
        // the slot stays taken until the handler returns.
        ScheduledFuture<?> timer = services.scheduler().schedule(() -> {
            if (settled.compareAndSet(false, true)) {
                statistics.recordDuration(timeoutNanos);
                statistics.failed();
                statistics.timedOut();
                String message = DeployedFunction.timeoutMessage(invocation.requestId, definition.timeout());
                invocation.log.append(message);
                DeployedFunction.report(invocation, member.environment, definition, timeoutNanos, Duration.ZERO);
                invocation.result.complete(new FunctionFailed(invocation.requestId,
                        FunctionErrors.of(message, "Sandbox.Timedout"), invocation.logTail()));
            }
        }, timeoutNanos, TimeUnit.NANOSECONDS);
        BooleanSupplier crash = () -> {
            if (!settled.compareAndSet(false, true)) {
                return false;
            }
            timer.cancel(false);
            statistics.recordDuration(System.nanoTime() - start);
            statistics.failed();
            invocation.result.complete(new FunctionFailed(invocation.requestId, FunctionErrors.of("RequestId: "
                    + invocation.requestId + " Error: Runtime exited with error: signal: killed", "Runtime.ExitError"),
                    invocation.logTail()));
            return true;
        };
        member.crashes.add(crash);
        running.whenComplete((output, error) -> {
            member.crashes.remove(crash);
            if (settled.compareAndSet(false, true)) {
                timer.cancel(false);
                long durationNanos = System.nanoTime() - start;
                statistics.recordDuration(durationNanos);
                DeployedFunction.report(invocation, member.environment, definition, durationNanos, Duration.ZERO);
                invocation.result.complete(result(invocation, output, error));
            }
            leave(member);
        });
    }

    private InvocationResult result(DeployedFunction.Invocation invocation, InvocationOutput output, Throwable error) {
        if (output instanceof InvocationOutput.Response response
                && response.payload().length <= DeployedFunction.MAX_RESPONSE_BYTES) {
            return new Completed(invocation.requestId, response.payload(), invocation.logTail());
        }
        statistics.failed();
        byte[] errorPayload;
        if (output instanceof InvocationOutput.Response tooLarge) {
            errorPayload = FunctionErrors.of("Response payload size (" + tooLarge.payload().length
                    + " bytes) exceeded maximum allowed payload size (" + DeployedFunction.MAX_RESPONSE_BYTES
                    + " bytes).", "Function.ResponseSizeTooLarge");
        } else if (output instanceof InvocationOutput.Failure failure) {
            errorPayload = failure.errorPayload();
        } else {
            errorPayload = FunctionErrors.fromThrowable(error);
        }
        return new FunctionFailed(invocation.requestId, errorPayload, invocation.logTail());
    }

    /** Frees a slot; an environment whose process died is replaced, one of a replaced configuration ends when idle. */
    private void leave(Member member) {
        int left = member.inFlight.decrementAndGet();
        if (left < 0) {
            return;
        }
        if (left == 0) {
            statistics.idle();
            member.idleSinceNanos = System.nanoTime();
        }
        if (!member.environment.isAlive()) {
            if (members.contains(member)) {
                end(member, false);
                scaleOut(generation, false);
            }
        } else if ((member.generation.retired || services.isClosed()) && member.tryClose()) {
            end(member, true);
        }
    }

    /**
     * Starts environments when the busy share of the current slots passes the target utilization or an invocation
     * was refused, up to the function's maximum and its capacity provider's vCPUs; keeps at least the minimum.
     */
    private void scaleOut(Generation current, boolean refused) {
        synchronized (scaling) {
            if (current != generation || services.isClosed()) {
                return;
            }
            int ready = current.ready.size();
            long inFlight = 0;
            for (Member member : current.ready) {
                inFlight += Math.max(0, member.inFlight.get());
            }
            int desired = (int) Math.ceil(inFlight / (current.maxConcurrency() * current.settings.targetUtilization()));
            if (refused) {
                desired = Math.max(desired, ready + 1);
            }
            desired = Math.max(desired, current.settings.minEnvironments());
            if (current.settings.maxEnvironments() != ManagedInstances.UNLIMITED) {
                desired = Math.min(desired, current.settings.maxEnvironments());
            }
            for (int have = ready + current.starting.get(); have < desired; have++) {
                if (startEnvironment(current) == null) {
                    return;
                }
            }
        }
    }

    /** Starts one environment of a configuration; null when its capacity provider has no vCPUs left. Under the lock. */
    private CompletableFuture<Member> startEnvironment(Generation target) {
        ManagedInstances settings = target.settings;
        int vCpus = target.vCpus();
        if (!services.capacityProviders().tryAllocate(settings.capacityProvider(), settings.maxVCpuCount(), vCpus)) {
            return null;
        }
        target.starting.incrementAndGet();
        statistics.environmentCreated();
        environmentsStarted.incrementAndGet();
        long startedNanos = System.nanoTime();
        CompletableFuture<ExecutionEnvironment> started = services.environmentFactory()
                .start(function.environmentSpec(target.definition, target.variables, services.nextEnvironmentId()));
        CompletableFuture<ExecutionEnvironment> starting = started.copy()
                .orTimeout(INIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        return starting.handle((environment, error) -> {
            target.starting.decrementAndGet();
            if (error != null) {
                started.thenAccept(ExecutionEnvironment::destroy);
                services.capacityProviders().release(settings.capacityProvider(), vCpus);
                statistics.environmentGone();
                addEnded(System.nanoTime(), startedNanos, vCpus);
                target.lastInitError = String.valueOf(error.getCause() != null ? error.getCause().getMessage() : error);
                LOG.warn("function {}: a managed-instances environment did not initialize: {}", function.name(),
                        target.lastInitError);
                return null;
            }
            statistics.recordInitDuration(environment.initDuration().toNanos());
            Member member = new Member(environment, target, startedNanos);
            members.add(member);
            target.ready.add(member);
            if ((target.retired || services.isClosed()) && member.tryClose()) {
                end(member, true);
            }
            return member;
        });
    }

    /** Removes an environment and shuts it down gracefully (scale-in, retirement) or destroys it. */
    private void end(Member member, boolean gracefully) {
        if (!members.remove(member)) {
            return;
        }
        member.generation.ready.remove(member);
        statistics.environmentGone();
        if (member.inFlight.getAndSet(-1) > 0) {
            statistics.idle();
        }
        ManagedInstances settings = member.generation.settings;
        services.capacityProviders().release(settings.capacityProvider(), member.generation.vCpus());
        addEnded(System.nanoTime(), member.startedNanos, member.generation.vCpus());
        ExecutionEnvironment environment = function.ending(member.environment);
        if (gracefully) {
            environment.shutDownGracefully();
        } else {
            environment.destroy();
        }
    }

    private void addEnded(long endNanos, long startedNanos, int vCpus) {
        long lived = Math.max(0, endNanos - Math.max(startedNanos, usageSinceNanos));
        endedEnvironmentNanos.addAndGet(lived);
        endedVCpuNanos.addAndGet(lived * vCpus);
    }

    /** Shuts down the current configuration's environments that idled that long, keeping the minimum; how many. */
    int reclaimIdle(Duration idleAtLeast) {
        Generation current = generation;
        long now = System.nanoTime();
        List<Map.Entry<Member, Long>> idleSince = new ArrayList<>();
        for (Member member : current.ready) {
            idleSince.add(Map.entry(member, member.idleSinceNanos));
        }
        idleSince.sort(Map.Entry.comparingByValue());
        int remaining = idleSince.size();
        int reclaimed = 0;
        for (Member member : idleSince.stream().map(Map.Entry::getKey).toList()) {
            if (remaining <= current.settings.minEnvironments()) {
                break;
            }
            if (member.inFlight.get() == 0 && now - member.idleSinceNanos >= idleAtLeast.toNanos() && member.tryClose()) {
                end(member, true);
                remaining--;
                reclaimed++;
            }
        }
        return reclaimed;
    }

    /** Kills the environments that run invocations now; each of those invocations fails with Runtime.ExitError. */
    int destroyBusy() {
        int destroyed = 0;
        for (Member member : List.copyOf(members)) {
            if (member.inFlight.get() > 0) {
                end(member, false);
                member.crashes.forEach(BooleanSupplier::getAsBoolean);
                destroyed++;
            }
        }
        scaleOut(generation, false);
        return destroyed;
    }

    /** Ends every environment (platform shutdown), gracefully. */
    List<CompletableFuture<Void>> closeAll() {
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (Member member : List.copyOf(members)) {
            if (members.remove(member)) {
                member.generation.ready.remove(member);
                statistics.environmentGone();
                done.add(member.environment.shutDownGracefully());
            }
        }
        return done;
    }

    /** What the live environments use now. */
    ResourceUsage resourceUsage() {
        ResourceUsage total = ResourceUsage.NONE;
        for (Member member : members) {
            total = total.plus(member.environment.resourceUsage());
        }
        return total;
    }

    /** The usage since the last reset. */
    ManagedInstancesUsage usage() {
        long now = System.nanoTime();
        long since = usageSinceNanos;
        long environmentNanos = endedEnvironmentNanos.get();
        long vCpuNanos = endedVCpuNanos.get();
        for (Member member : members) {
            long lived = Math.max(0, now - Math.max(member.startedNanos, since));
            environmentNanos += lived;
            vCpuNanos += lived * member.generation.vCpus();
        }
        return new ManagedInstancesUsage(environmentsStarted.get(), peakPerEnvironment.get(),
                environmentNanos / 1e9, vCpuNanos / 1e9);
    }

    /** Restarts the usage from now; the peak restarts from the busiest environment's current count. */
    void resetUsage() {
        usageSinceNanos = System.nanoTime();
        environmentsStarted.set(0);
        endedEnvironmentNanos.set(0);
        endedVCpuNanos.set(0);
        int busiest = 0;
        for (Member member : members) {
            busiest = Math.max(busiest, member.inFlight.get());
        }
        peakPerEnvironment.set(busiest);
    }
}
