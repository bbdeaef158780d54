package dev.dbproxy.lambda.platform.environment;

import dev.dbproxy.lambda.platform.environment.InvocationOutput.Failure;
import dev.dbproxy.lambda.platform.environment.InvocationOutput.Response;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An execution environment in this JVM: its own child-first class loader and its own thread, which runs the init and
 * then every invocation, one at a time (so thread-locals survive between invocations, as in a real runtime). On
 * managed instances it has {@link EnvironmentSpec#maxConcurrency()} threads instead, which run that many invocations
 * at once with the one handler object, as the Java runtime's worker threads do there.
 */
final class InProcessEnvironment implements ExecutionEnvironment {

    private static final Logger LOG = LoggerFactory.getLogger(InProcessEnvironment.class);
    static final String FUNCTION_ENVIRONMENT = "dev.dbproxy.lambda.environment.FunctionEnvironment";
    /** Lets threads the function started finish their shutdown before the class loader closes its jars. */
    private static final long CLASS_LOADER_CLOSE_DELAY_SECONDS = 5;

    private final EnvironmentSpec spec;
    private final FunctionClassLoader loader;
    private final ExecutorService thread;
    private final Logger functionLog;
    private final AtomicBoolean gone = new AtomicBoolean();
    private volatile HandlerInvoker invoker;
    private volatile Duration initDuration = Duration.ZERO;

    private InProcessEnvironment(EnvironmentSpec spec, ClassLoader sharedClasses, List<String> sharedLibraryPrefixes) {
        this.spec = spec;
        this.loader = new FunctionClassLoader(spec.environmentId(), spec.classPath(), sharedClasses,
                sharedLibraryPrefixes);
        String threadName = "lambda-" + spec.functionName() + "-" + spec.environmentId();
        Thread.Builder.OfPlatform threads = Thread.ofPlatform().daemon(true);
        this.thread = Executors.newFixedThreadPool(spec.maxConcurrency(), spec.multiConcurrent()
                ? threads.name(threadName + "-worker-", 0).factory() : threads.name(threadName).factory());
        this.functionLog = LoggerFactory.getLogger("lambda." + spec.functionName());
    }

    static CompletableFuture<ExecutionEnvironment> start(EnvironmentSpec spec, ClassLoader sharedClasses,
            List<String> sharedLibraryPrefixes) {
        InProcessEnvironment environment = new InProcessEnvironment(spec, sharedClasses, sharedLibraryPrefixes);
        return CompletableFuture.supplyAsync(environment::initialize, environment.thread);
    }

    private ExecutionEnvironment initialize() {
        long start = System.nanoTime();
        Thread.currentThread().setContextClassLoader(loader);
        String[] handlerParts = spec.handler().split("::", 2);
        try {
            installVariables();
            Class<?> handlerClass = Class.forName(handlerParts[0], true, loader);
            Object handler = handlerClass.getConstructor().newInstance();
            invoker = HandlerInvoker.create(handler, handlerParts.length == 2 ? handlerParts[1] : "", LambdaJson.create());
            initDuration = Duration.ofNanos(System.nanoTime() - start);
            return this;
        } catch (Throwable e) {
            Throwable cause = e instanceof InvocationTargetException target ? target.getCause() : e;
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
            destroy();
            throw new EnvironmentInitException("init of function " + spec.functionName() + " (handler " + spec.handler()
                    + ") failed: " + cause, FunctionErrors.fromThrowable(cause), elapsed, cause);
        }
    }

    /** Hands the variables to the function-environment module when the function's class path has it. */
    private void installVariables() throws ReflectiveOperationException {
        Class<?> functionEnvironment;
        try {
            functionEnvironment = Class.forName(FUNCTION_ENVIRONMENT, true, loader);
        } catch (ClassNotFoundException absent) {
            return;
        }
        Method install = functionEnvironment.getMethod("install", java.util.Map.class);
        install.invoke(null, spec.variables());
    }

    @Override
    public String id() {
        return spec.environmentId();
    }

    @Override
    public Duration initDuration() {
        return initDuration;
    }

    @Override
    public CompletableFuture<InvocationOutput> invoke(InvocationInput input) {
        try {
            return CompletableFuture.supplyAsync(() -> run(input), thread);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.completedFuture(new Failure(FunctionErrors.fromThrowable(e), true));
        }
    }

    private InvocationOutput run(InvocationInput input) {
        try {
            return new Response(invoker.invoke(input.payload(), new LocalContext(spec, input, functionLog)));
        } catch (Exception e) {
            return new Failure(FunctionErrors.fromThrowable(e), false);
        } catch (Throwable e) {
            return new Failure(FunctionErrors.fromThrowable(e), true);
        }
    }

    @Override
    public CompletableFuture<Void> shutDownGracefully() {
        if (!gone.compareAndSet(false, true)) {
            return CompletableFuture.completedFuture(null);
        }
        try {
            return CompletableFuture.runAsync(this::closeResources, thread)
                    .exceptionally(error -> null)
                    .whenComplete((ignored, error) -> finish());
        } catch (RejectedExecutionException e) {
            return destroyNow();
        }
    }

    @Override
    public CompletableFuture<Void> destroy() {
        if (!gone.compareAndSet(false, true)) {
            return CompletableFuture.completedFuture(null);
        }
        return destroyNow();
    }

    private CompletableFuture<Void> destroyNow() {
        thread.shutdownNow();
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread.ofVirtual().name("lambda-teardown-" + spec.environmentId()).start(() -> {
            try {
                closeResources();
            } finally {
                finish();
                done.complete(null);
            }
        });
        return done;
    }

    private void closeResources() {
        Thread current = Thread.currentThread();
        ClassLoader previous = current.getContextClassLoader();
        current.setContextClassLoader(loader);
        try {
            HandlerInvoker initialized = invoker;
            EnvironmentTeardown.closeAll(spec.environmentId(), initialized == null ? null : initialized.handler(), loader);
        } catch (RuntimeException | LinkageError e) {
            LOG.warn("environment {} of function {}: teardown failed", spec.environmentId(), spec.functionName(), e);
        } finally {
            current.setContextClassLoader(previous);
        }
    }

    private void finish() {
        thread.shutdownNow();
        invoker = null;
        CompletableFuture.delayedExecutor(CLASS_LOADER_CLOSE_DELAY_SECONDS, TimeUnit.SECONDS).execute(() -> {
            try {
                loader.close();
            } catch (IOException e) {
                LOG.debug("environment {}: closing its class loader failed", spec.environmentId(), e);
            }
        });
    }
}
