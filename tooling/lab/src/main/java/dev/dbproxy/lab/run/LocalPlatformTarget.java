package dev.dbproxy.lab.run;

import dev.dbproxy.lab.cost.LambdaCostModel;
import dev.dbproxy.lab.load.ReaderRoutes;
import dev.dbproxy.lab.result.Configuration;
import dev.dbproxy.lab.result.Sample;
import dev.dbproxy.lab.result.Summary;
import dev.dbproxy.lambda.platform.EnvironmentCounts;
import dev.dbproxy.lambda.platform.EnvironmentKind;
import dev.dbproxy.lambda.platform.FunctionDefinition;
import dev.dbproxy.lambda.platform.FunctionMetrics;
import dev.dbproxy.lambda.platform.HttpApiGateway;
import dev.dbproxy.lambda.platform.HttpApiRoute;
import dev.dbproxy.lambda.platform.LatencyPercentiles;
import dev.dbproxy.lambda.platform.LocalLambdaPlatform;
import dev.dbproxy.lambda.platform.ManagedInstances;
import dev.dbproxy.lambda.platform.ManagedInstancesUsage;
import dev.dbproxy.lambda.platform.PlatformSettings;
import dev.dbproxy.lambda.platform.ReclaimMode;
import dev.dbproxy.lambda.platform.environment.ExecutionEnvironmentFactory;
import dev.dbproxy.lambda.platform.environment.InProcessEnvironmentFactory;
import dev.dbproxy.lambda.platform.environment.ResourceUsage;
import dev.dbproxy.lambda.platform.template.SamTemplate;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One configuration of the SAM template on a fresh local Lambda platform: the two reader functions of the seed (list
 * and get), as many more reader pairs as asked, and for {@code lambda-proxy} the DB proxy function, all behind the
 * HTTP API gateway. The functions are those of {@code sample-notes/template.yaml}, with the run's reclaim mode; a
 * group that runs on managed instances is deployed from its twin ({@code <Name>ManagedFunction}, picked by the
 * template's {@code BusinessCompute} and {@code ProxyCompute}), its capacity provider sized by
 * {@link #managedInstancesVCpus} so that the staircase never waits for vCPUs.
 */
public final class LocalPlatformTarget implements LabTarget {

    private static final String PROXY_FUNCTION = "DbProxyFunction";
    private static final String PROXY_MANAGED_FUNCTION = "DbProxyManagedFunction";
    private static final Duration LOAD_PHASE_IDLE_TIMEOUT = Duration.ofMinutes(10);
    /** The template parameter that turns the graceful-shutdown extension on in every function. */
    static final String GRACEFUL_SHUTDOWN_PARAMETER = "GracefulShutdown";
    static final String BUSINESS_COMPUTE_PARAMETER = "BusinessCompute";
    static final String PROXY_COMPUTE_PARAMETER = "ProxyCompute";
    static final String MAX_VCPU_PARAMETER = "ManagedInstancesMaxVCpuCount";
    static final String MIN_ENVIRONMENTS_PARAMETER = "ManagedInstancesMinEnvironments";
    /** The platform's scale-out target (half the slots in use), hence invocations one vCPU takes before another. */
    private static final int INVOCATIONS_PER_VCPU_AT_TARGET = ManagedInstances.JAVA_CONCURRENCY_PER_VCPU / 2;

    private final Configuration configuration;
    private final ReclaimMode reclaimMode;
    private final String proxyFunction;
    private final LocalLambdaPlatform platform;
    private final HttpApiGateway gateway;
    private final List<String> businessFunctions = new ArrayList<>();
    private final List<ReaderRoutes> readerRoutes = new ArrayList<>();
    private final Map<String, Integer> memoryMb = new LinkedHashMap<>();
    private final Duration idleTimeout;
    private final EnvironmentKind environments;
    private final SamTemplate template;
    private final ExecutionEnvironmentFactory factory;
    private final int minEnvironments;
    private final int maxVCpuCount;

    /**
     * Deploys the configuration.
     *
     * @param template          the SAM template
     * @param parameters        template parameter overrides (MongoDbUri, ProxyReservedConcurrency, ...)
     * @param configuration     the strategy and where its functions run
     * @param reclaimMode       what reclaimed environments do with their connections (managed instances always shut
     *                          down gracefully)
     * @param businessFunctions how many reader functions (an even number, at least 2)
     * @param peakUsersPerPair  the most concurrent users of one pair of readers, to size the capacity provider
     * @param minEnvironments   {@code MinExecutionEnvironments} of every function on managed instances
     * @param idleTimeout       idle time after which environments are reclaimed, once the load has stopped
     * @param zombieLifetime    how long abandoned connections stay open
     * @param sharedLibraries   whether in-process environments share the client libraries' classes (see
     *                          {@link InProcessEnvironmentFactory#sharingLibraries(List)}); they still build their own
     *                          clients and connections
     * @param environments      in-process, or a process per environment running the template's deployment jars (then
     *                          the reclaim mode is the template's {@code GracefulShutdown} parameter: graceful means
     *                          every function registers the shutdown extension, as it would on AWS)
     */
    public LocalPlatformTarget(Path template, Map<String, String> parameters, Configuration configuration,
            ReclaimMode reclaimMode, int businessFunctions, int peakUsersPerPair, int minEnvironments,
            Duration idleTimeout, Duration zombieLifetime, boolean sharedLibraries, EnvironmentKind environments) {
        this.configuration = configuration;
        this.reclaimMode = reclaimMode;
        this.idleTimeout = idleTimeout;
        this.environments = environments;
        this.minEnvironments = configuration.anyOnManagedInstances() ? minEnvironments : 0;
        this.maxVCpuCount = configuration.anyOnManagedInstances()
                ? managedInstancesVCpus(configuration, businessFunctions, peakUsersPerPair, minEnvironments) : 0;
        Map<String, String> withShutdown = new LinkedHashMap<>(parameters);
        withShutdown.put(GRACEFUL_SHUTDOWN_PARAMETER, Boolean.toString(reclaimMode == ReclaimMode.GRACEFUL));
        withShutdown.put(BUSINESS_COMPUTE_PARAMETER, configuration.businessOnManagedInstances() ? "ManagedInstances"
                : "Lambda");
        withShutdown.put(PROXY_COMPUTE_PARAMETER, configuration.proxyOnManagedInstances() ? "ManagedInstances"
                : "Lambda");
        if (configuration.anyOnManagedInstances()) {
            withShutdown.put(MAX_VCPU_PARAMETER, Integer.toString(maxVCpuCount));
            withShutdown.put(MIN_ENVIRONMENTS_PARAMETER, Integer.toString(minEnvironments));
        }
        SamTemplate sam = SamTemplate.load(template, withShutdown);
        this.template = sam;
        String strategy = configuration.strategy();
        String prefix = RemoteTarget.routePrefix(strategy);
        String functionPrefix = strategy.equals("direct") ? "Direct" : "Proxy";
        String functionSuffix = configuration.businessOnManagedInstances() ? "ManagedFunction" : "Function";
        this.proxyFunction = configuration.proxyOnManagedInstances() ? PROXY_MANAGED_FUNCTION : PROXY_FUNCTION;
        this.factory = environments.newFactory(sharedLibraries ? InProcessEnvironmentFactory.CLIENT_LIBRARIES : List.of());
        this.platform = LocalLambdaPlatform.start(PlatformSettings.builder()
                .idleTimeout(LOAD_PHASE_IDLE_TIMEOUT)
                .zombieLifetime(zombieLifetime)
                .build(), factory);
        List<HttpApiRoute> routes = new ArrayList<>();
        if (strategy.equals("lambda-proxy")) {
            deploy(sam.function(proxyFunction), proxyFunction);
        }
        for (int pair = 1; pair <= businessFunctions / 2; pair++) {
            String suffix = pair == 1 ? "" : Integer.toString(pair);
            String path = pair == 1 ? prefix + "/notes" : prefix + "/r" + pair + "/notes";
            String list = functionPrefix + "ListNotes" + functionSuffix + suffix;
            String get = functionPrefix + "GetNote" + functionSuffix + suffix;
            deploy(sam.function(functionPrefix + "ListNotes" + functionSuffix), list);
            deploy(sam.function(functionPrefix + "GetNote" + functionSuffix), get);
            this.businessFunctions.add(list);
            this.businessFunctions.add(get);
            routes.add(new HttpApiRoute("GET", path, list));
            routes.add(new HttpApiRoute("GET", path + "/{id}", get));
            readerRoutes.add(new ReaderRoutes(path, path));
        }
        this.gateway = platform.startHttpApiGateway(routes, sam.httpApiAccess(), 0);
    }

    /**
     * The capacity provider's {@code MaxVCpuCount} for a run: every function on managed instances keeps its minimum
     * of one-vCPU environments, plus room to scale out to the staircase's peak at the platform's target of half the
     * slots (a business function sees at most its pair's users at once, the DB proxy every pair's), within AWS's
     * bounds of 2 to 15,000.
     */
    static int managedInstancesVCpus(Configuration configuration, int businessFunctions, int peakUsersPerPair,
            int minEnvironments) {
        long vCpus = 0;
        if (configuration.businessOnManagedInstances()) {
            vCpus += (long) businessFunctions * (minEnvironments + ceilDiv(peakUsersPerPair,
                    INVOCATIONS_PER_VCPU_AT_TARGET));
        }
        if (configuration.proxyOnManagedInstances()) {
            vCpus += minEnvironments + ceilDiv((long) peakUsersPerPair * (businessFunctions / 2),
                    INVOCATIONS_PER_VCPU_AT_TARGET);
        }
        return (int) Math.max(2, Math.min(15_000, vCpus));
    }

    private static long ceilDiv(long dividend, long divisor) {
        return (dividend + divisor - 1) / divisor;
    }

    private void deploy(FunctionDefinition definition, String name) {
        FunctionDefinition.Builder builder = definition.toBuilder().name(name).reclaimMode(reclaimMode);
        if (environments == EnvironmentKind.PROCESS) {
            builder.classPath(List.of(template.codeUri(definition.name())));
        }
        platform.deploy(builder.build());
        memoryMb.put(name, definition.memoryMb());
    }

    @Override
    public Configuration configuration() {
        return configuration;
    }

    /** Managed instances start their minimum of environments at deployment, and their handlers connect then. */
    @Override
    public boolean connectsAtDeploy() {
        return configuration.anyOnManagedInstances();
    }

    @Override
    public String reclaimMode() {
        return reclaimMode.name().toLowerCase(Locale.ROOT);
    }

    @Override
    public URI baseUrl() {
        return gateway.endpoint();
    }

    @Override
    public List<ReaderRoutes> readerRoutes() {
        return List.copyOf(readerRoutes);
    }

    /** Every deployed function; on the local platform each client's appName is its function's name. */
    @Override
    public List<String> functions() {
        return List.copyOf(memoryMb.keySet());
    }

    @Override
    public Map<String, Sample.EnvironmentCounts> environments() {
        Map<String, Sample.EnvironmentCounts> counts = new LinkedHashMap<>();
        for (String function : memoryMb.keySet()) {
            EnvironmentCounts now = platform.environmentCounts(function);
            counts.put(function, new Sample.EnvironmentCounts(now.live(), now.busy(), now.zombie()));
        }
        return counts;
    }

    @Override
    public void enterIdlePhase() {
        platform.changeIdleTimeout(idleTimeout);
    }

    @Override
    public boolean canRedeploy() {
        return true;
    }

    @Override
    public void redeployBusinessFunctions() {
        businessFunctions.forEach(platform::redeploy);
    }

    @Override
    public Totals totals() {
        long business = 0;
        long proxy = 0;
        long coldStarts = 0;
        InitTotal businessInit = new InitTotal();
        InitTotal proxyInit = new InitTotal();
        long throttles = 0;
        long peak = 0;
        double gbSeconds = 0;
        double proxyGbSeconds = 0;
        long managedInvocations = 0;
        long environmentsStarted = 0;
        int peakPerEnvironment = 0;
        double environmentSeconds = 0;
        double vCpuSeconds = 0;
        for (Map.Entry<String, Integer> function : memoryMb.entrySet()) {
            FunctionMetrics metrics = platform.metrics(function.getKey());
            if (function.getKey().equals(proxyFunction)) {
                proxy += metrics.invocations();
                throttles += metrics.throttles();
                proxyInit.add(metrics.initDuration());
            } else {
                business += metrics.invocations();
                businessInit.add(metrics.initDuration());
            }
            coldStarts += metrics.coldStarts();
            peak += metrics.peak().live();
            if (platform.definition(function.getKey()).runsOnManagedInstances()) {
                // billed by the instances, not by duration
                ManagedInstancesUsage usage = metrics.managedInstances();
                managedInvocations += metrics.invocations();
                environmentsStarted += usage.environmentsStarted();
                peakPerEnvironment = Math.max(peakPerEnvironment, usage.peakConcurrentInvocationsPerEnvironment());
                environmentSeconds += usage.environmentSeconds();
                vCpuSeconds += usage.vCpuSeconds();
                continue;
            }
            double billedMillis = metrics.duration().count() * Math.ceil(metrics.duration().mean())
                    + metrics.initDuration().count() * Math.ceil(metrics.initDuration().mean());
            double functionGbSeconds = LambdaCostModel.gbSeconds(billedMillis, function.getValue());
            gbSeconds += functionGbSeconds;
            if (function.getKey().equals(proxyFunction)) {
                proxyGbSeconds += functionGbSeconds;
            }
        }
        Summary.ManagedInstances managed = configuration.anyOnManagedInstances()
                ? new Summary.ManagedInstances(minEnvironments, maxVCpuCount, environmentsStarted, peakPerEnvironment,
                        environmentSeconds, vCpuSeconds)
                : Summary.ManagedInstances.NONE;
        return new Totals(business, proxy, coldStarts, businessInit.durations(), proxyInit.durations(), throttles, 0,
                gbSeconds, peak, managedInvocations, managed, proxyGbSeconds);
    }

    /** Init phases of several functions: counts and maxima add up exactly, the mean is weighted by count. */
    private static final class InitTotal {
        private long count;
        private double totalMillis;
        private double maxMillis;

        void add(LatencyPercentiles init) {
            count += init.count();
            totalMillis += init.count() * init.mean();
            maxMillis = Math.max(maxMillis, init.max());
        }

        Summary.InitDurations durations() {
            return count == 0 ? Summary.InitDurations.NONE
                    : new Summary.InitDurations(count, totalMillis / count, maxMillis);
        }
    }

    @Override
    public ResourceUsage resourceUsage() {
        ResourceUsage total = ResourceUsage.NONE;
        for (String function : memoryMb.keySet()) {
            total = total.plus(platform.resourceUsage(function));
        }
        return total;
    }

    @Override
    public void close() {
        gateway.close();
        platform.close();
        if (factory instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                throw new IllegalStateException("closing the environment factory failed", e);
            }
        }
    }
}
