package dev.dbproxy.lab.run;

import dev.dbproxy.lab.cost.LambdaCostModel;
import dev.dbproxy.lab.load.ReaderRoutes;
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
 * One strategy of the SAM template on a fresh local Lambda platform: the two reader functions of the seed (list and
 * get), as many more reader pairs as asked, and for {@code lambda-proxy} the DB proxy function with its reserved
 * concurrency, all behind the HTTP API gateway. The functions are those of {@code sample-notes/template.yaml}, with
 * the run's reclaim mode.
 */
public final class LocalPlatformTarget implements LabTarget {

    private static final String PROXY_FUNCTION = "DbProxyFunction";
    private static final Duration LOAD_PHASE_IDLE_TIMEOUT = Duration.ofMinutes(10);
    /** The template parameter that turns the graceful-shutdown extension on in every function. */
    static final String GRACEFUL_SHUTDOWN_PARAMETER = "GracefulShutdown";

    private final String strategy;
    private final ReclaimMode reclaimMode;
    private final LocalLambdaPlatform platform;
    private final HttpApiGateway gateway;
    private final List<String> businessFunctions = new ArrayList<>();
    private final List<ReaderRoutes> readerRoutes = new ArrayList<>();
    private final Map<String, Integer> memoryMb = new LinkedHashMap<>();
    private final Duration idleTimeout;
    private final EnvironmentKind environments;
    private final SamTemplate template;
    private final ExecutionEnvironmentFactory factory;

    /**
     * Deploys the strategy.
     *
     * @param template          the SAM template
     * @param parameters        template parameter overrides (MongoDbUri, ProxyReservedConcurrency, ...)
     * @param strategy          {@code direct} or {@code lambda-proxy}
     * @param reclaimMode       what reclaimed environments do with their connections
     * @param businessFunctions how many reader functions (an even number, at least 2)
     * @param idleTimeout       idle time after which environments are reclaimed, once the load has stopped
     * @param zombieLifetime    how long abandoned connections stay open
     * @param sharedLibraries   whether in-process environments share the client libraries' classes (see
     *                          {@link InProcessEnvironmentFactory#sharingLibraries(List)}); they still build their own
     *                          clients and connections
     * @param environments      in-process, or a process per environment running the template's deployment jars (then
     *                          the reclaim mode is the template's {@code GracefulShutdown} parameter: graceful means
     *                          every function registers the shutdown extension, as it would on AWS)
     */
    public LocalPlatformTarget(Path template, Map<String, String> parameters, String strategy, ReclaimMode reclaimMode,
            int businessFunctions, Duration idleTimeout, Duration zombieLifetime, boolean sharedLibraries,
            EnvironmentKind environments) {
        this.strategy = strategy;
        this.reclaimMode = reclaimMode;
        this.idleTimeout = idleTimeout;
        this.environments = environments;
        Map<String, String> withShutdown = new LinkedHashMap<>(parameters);
        withShutdown.put(GRACEFUL_SHUTDOWN_PARAMETER, Boolean.toString(reclaimMode == ReclaimMode.GRACEFUL));
        SamTemplate sam = SamTemplate.load(template, withShutdown);
        this.template = sam;
        String prefix = RemoteTarget.routePrefix(strategy);
        String functionPrefix = strategy.equals("direct") ? "Direct" : "Proxy";
        this.factory = environments.newFactory(sharedLibraries ? InProcessEnvironmentFactory.CLIENT_LIBRARIES : List.of());
        this.platform = LocalLambdaPlatform.start(PlatformSettings.builder()
                .idleTimeout(LOAD_PHASE_IDLE_TIMEOUT)
                .zombieLifetime(zombieLifetime)
                .build(), factory);
        List<HttpApiRoute> routes = new ArrayList<>();
        if (strategy.equals("lambda-proxy")) {
            deploy(sam.function(PROXY_FUNCTION), PROXY_FUNCTION);
        }
        for (int pair = 1; pair <= businessFunctions / 2; pair++) {
            String suffix = pair == 1 ? "" : Integer.toString(pair);
            String path = pair == 1 ? prefix + "/notes" : prefix + "/r" + pair + "/notes";
            String list = functionPrefix + "ListNotesFunction" + suffix;
            String get = functionPrefix + "GetNoteFunction" + suffix;
            deploy(sam.function(functionPrefix + "ListNotesFunction"), list);
            deploy(sam.function(functionPrefix + "GetNoteFunction"), get);
            businessFunctions().add(list);
            businessFunctions().add(get);
            routes.add(new HttpApiRoute("GET", path, list));
            routes.add(new HttpApiRoute("GET", path + "/{id}", get));
            readerRoutes.add(new ReaderRoutes(path, path));
        }
        this.gateway = platform.startHttpApiGateway(routes, sam.httpApiAccess(), 0);
    }

    private List<String> businessFunctions() {
        return businessFunctions;
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
    public String strategy() {
        return strategy;
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
        for (Map.Entry<String, Integer> function : memoryMb.entrySet()) {
            FunctionMetrics metrics = platform.metrics(function.getKey());
            if (function.getKey().equals(PROXY_FUNCTION)) {
                proxy += metrics.invocations();
                throttles += metrics.throttles();
                proxyInit.add(metrics.initDuration());
            } else {
                business += metrics.invocations();
                businessInit.add(metrics.initDuration());
            }
            coldStarts += metrics.coldStarts();
            peak += metrics.peak().live();
            double billedMillis = metrics.duration().count() * Math.ceil(metrics.duration().mean())
                    + metrics.initDuration().count() * Math.ceil(metrics.initDuration().mean());
            gbSeconds += LambdaCostModel.gbSeconds(billedMillis, function.getValue());
        }
        return new Totals(business, proxy, coldStarts, businessInit.durations(), proxyInit.durations(), throttles, 0,
                gbSeconds, peak);
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
