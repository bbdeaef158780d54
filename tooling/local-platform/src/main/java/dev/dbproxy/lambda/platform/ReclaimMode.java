package dev.dbproxy.lambda.platform;

/**
 * What happens to an execution environment when the platform stops using it: after it idled too long, on
 * {@linkplain LocalLambdaPlatform#redeploy(String) redeploy}, or on {@linkplain LocalLambdaPlatform#close() close}.
 */
public enum ReclaimMode {

    /**
     * Like Lambda without an extension: nothing runs in the environment, it is simply dropped. Its open sockets stay
     * open as zombies (the platform keeps the environment reachable so that no garbage collector or cleaner closes
     * them) for the platform's {@linkplain PlatformSettings#zombieLifetime() zombie lifetime}, which models how long
     * the database keeps a silent peer's connection (its TCP keepalive); only then is the environment torn down.
     */
    ABANDON,

    /**
     * Like Lambda with an extension registered: the handler's cleanup runs (a handler that is {@link AutoCloseable}
     * is closed) and the environment is torn down at once.
     */
    GRACEFUL
}
