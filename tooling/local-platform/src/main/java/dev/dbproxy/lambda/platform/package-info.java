/**
 * A local AWS Lambda platform for tests, demos and the connection lab: no Docker, one JVM.
 *
 * <h2>Use</h2>
 * <pre>{@code
 * try (LocalLambdaPlatform platform = LocalLambdaPlatform.start(PlatformSettings.defaults())) {   // loopback, port 0
 *     platform.deploy(FunctionDefinition.builder("notes-proxy", "dev.dbproxy.NotesProxyHandler")
 *             .memoryMb(512).timeout(Duration.ofSeconds(10)).reservedConcurrency(5)
 *             .environmentVariable("MONGODB_URI", mongo.connectionString())
 *             .reclaimMode(ReclaimMode.ABANDON)
 *             .build());
 *     LambdaAsyncClient lambda = LambdaAsyncClient.builder()
 *             .endpointOverride(platform.invokeEndpoint())            // or AWS_ENDPOINT_URL_LAMBDA
 *             .region(Region.US_EAST_1)
 *             .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
 *             .build();
 *     ...
 *     FunctionMetrics metrics = platform.metrics("notes-proxy");      // or GET platform.metricsEndpoint()
 *     platform.redeploy("notes-proxy");                               // new code version: every environment retired
 *     platform.reclaimIdle();                                         // Lambda reclaiming idle sandboxes, now
 *     platform.changeZombieLifetime(Duration.ofSeconds(30));          // the database's keepalive, shortened
 *     EnvironmentCounts now = platform.environmentCounts("notes-proxy"); // live / busy / zombie, cheap
 * }
 * }</pre>
 * From a SAM template: {@code SamTemplate template = SamTemplate.load(path, overrides);
 * platform.deployAll(template.functions()); platform.startHttpApiGateway(template.routes(), 0)}.
 *
 * <h2>What it models</h2>
 * <ul>
 * <li>Invoke over HTTP with Lambda's status codes, headers and error bodies: RequestResponse, Event (202; throttled
 * events are retried), DryRun (204), log tail, function errors (200 + {@code X-Amz-Function-Error: Unhandled}),
 * 429 {@code TooManyRequestsException} with the Lambda {@code Reason} and {@code Retry-After}, 413 over 6 MB, 404
 * unknown function, response over 6 MB and timeouts as function errors.</li>
 * <li>Execution environments: one invocation at a time each, warm reuse (most recently used first), cold start when
 * none is idle, reserved concurrency per function and the account limit, init duration recorded, a fresh class
 * loader per environment so static state is never shared, the function's variables installed through the
 * function-environment module before the handler is constructed.</li>
 * <li>Lambda Managed Instances ({@link dev.dbproxy.lambda.platform.ManagedInstances}, a template's
 * {@code CapacityProviderConfig}): many invocations at once per environment on their own threads with one handler
 * object, never frozen, environments started ahead of demand within the capacity provider's vCPUs, 429 when every
 * environment is full, idle ones above the minimum shut down gracefully (the module README has the rule).</li>
 * <li>Reclaim: after the idle timeout (or {@link dev.dbproxy.lambda.platform.LocalLambdaPlatform#reclaimIdle()}),
 * by the function's {@link dev.dbproxy.lambda.platform.ReclaimMode}: ABANDON keeps the environment (and its
 * sockets) reachable as a zombie for the zombie lifetime, then tears it down; GRACEFUL closes an
 * {@link java.lang.AutoCloseable} handler at once. Tearing down closes the handler if it is AutoCloseable and every
 * AutoCloseable of the function's own classes reachable from the handler or from static fields (so a MongoClient
 * built in a composition root is closed), standing in for the process exit.</li>
 * </ul>
 *
 * <h2>What in-process environments cannot model</h2>
 * <ul>
 * <li>No freezing: between invocations a real environment is frozen; here its threads keep running, so timers
 * (connection-pool idle pruning such as {@code maxIdleTimeMS}, driver heartbeats, scheduled tasks) fire while the
 * environment idles and while it is a zombie. An abandoned MongoClient here still monitors its servers, and may
 * prune idle connections that a frozen one would leave alone.</li>
 * <li>One JVM heap, one set of CPU cores, one process: memory size is reported, not enforced; a memory leak or a CPU
 * hog in one function affects all; {@code System.exit} ends everything; JVM-wide state (system properties,
 * {@code System.out}, default time zone, security providers, JDK-level caches) is shared by all environments.
 * {@code System.getenv()} is the host's: functions read their variables through {@code FunctionEnvironment}.</li>
 * <li>A timed-out invocation's thread cannot be killed: it is interrupted and its environment torn down, but code that
 * ignores interrupts keeps running in the background.</li>
 * <li>Handler stdout/stderr and SLF4J output go to the host's console, not to the invocation's log tail; only the
 * context's {@code LambdaLogger} lines are in the tail.</li>
 * <li>Cold starts are those of a warm JVM loading classes again (tens of milliseconds), not a new JVM (seconds);
 * shared classes (JDK, aws-lambda-java-core/events, SLF4J) are already loaded.</li>
 * <li>Qualifiers are accepted but there is one version: everything runs as {@code $LATEST}. Signatures, IAM and
 * Event retries after function errors are not modelled.</li>
 * </ul>
 * {@link dev.dbproxy.lambda.platform.process.ProcessEnvironmentFactory} models the first five: a JVM per environment
 * under the real AWS Lambda runtime interface client, frozen with SIGSTOP between invocations, killed with SIGKILL,
 * its output in the log tail, its cold start a JVM start ({@link EnvironmentKind} chooses either kind).
 */
package dev.dbproxy.lambda.platform;
