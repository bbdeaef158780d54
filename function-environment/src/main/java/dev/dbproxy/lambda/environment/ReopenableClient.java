package dev.dbproxy.lambda.environment;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The one client of an execution environment (a MongoDB client, a Lambda client and its event loop) that is closed
 * before a SnapStart snapshot and built again by the first call after the restore.
 *
 * <p>Why: a client built during init holds sockets; in a snapshot they would reach every restored environment dead,
 * or worse, shared. Closing the client before the snapshot ({@link #closeForCheckpoint()}, registered through
 * {@link SnapStartHooks}) means a restored environment holds no connection until its first call opens one, and the
 * code and classes the client loaded during init stay in the snapshot, so that call is not a cold one.
 *
 * <p>Every use of the client takes a {@link Lease} and closes it when its call is over (for an asynchronous call, when
 * the call completes, not when it is sent). A checkpoint waits for the leases in flight to be closed, at most
 * {@link #DRAIN_LIMIT}, before it closes the client, and a lease taken after it has started gets a new client: so a
 * call racing the checkpoint never gets a closed one.
 *
 * @param <C> the client
 */
public final class ReopenableClient<C> implements AutoCloseable {

    /** The longest a checkpoint waits for calls in flight before it closes their client anyway. */
    public static final Duration DRAIN_LIMIT = Duration.ofSeconds(30);

    private final Supplier<? extends C> open;
    private final Consumer<? super C> close;
    private final SnapStartHooks.Registration hooks;
    private final Object lock = new Object();
    private Generation<C> current;
    private int opened;
    private boolean closed;

    private ReopenableClient(Supplier<? extends C> open, Consumer<? super C> close, String name,
            Map<String, String> variables) {
        this.open = open;
        this.close = close;
        this.hooks = variables == null ? () -> { }
                : SnapStartHooks.register(variables, name, this::closeForCheckpoint, () -> { });
    }

    /**
     * A client built now by {@code open} (so that a bad configuration fails during init), closed by {@code close}
     * before each snapshot and at {@link #close()}, and built again by the first lease after a snapshot.
     *
     * @param name what the client is, for the hooks' errors
     */
    public static <C> ReopenableClient<C> open(String name, Supplier<? extends C> open, Consumer<? super C> close) {
        return open(FunctionEnvironment.variables(), name, open, close);
    }

    /**
     * As {@link #open(String, Supplier, Consumer)}, in the environment {@code variables} (which say whether this
     * environment's init ends in a snapshot: {@link SnapStartHooks}).
     */
    public static <C> ReopenableClient<C> open(Map<String, String> variables, String name, Supplier<? extends C> open,
            Consumer<? super C> close) {
        ReopenableClient<C> client = new ReopenableClient<>(Objects.requireNonNull(open, "open"),
                Objects.requireNonNull(close, "close"), Objects.requireNonNull(name, "name"),
                Objects.requireNonNull(variables, "variables"));
        try {
            client.lease().close();
        } catch (RuntimeException e) {
            client.hooks.close();
            throw e;
        }
        return client;
    }

    /**
     * A client its caller owns: lent as it is, never closed here, neither before a snapshot (its owner registers
     * what it needs) nor at {@link #close()}.
     */
    public static <C> ReopenableClient<C> borrowed(C client) {
        Objects.requireNonNull(client, "client");
        return new ReopenableClient<>(() -> client, ignored -> { }, "borrowed", null);
    }

    /**
     * The client for one call, built first if a checkpoint closed the previous one. Close the lease when the call is
     * over.
     *
     * @throws IllegalStateException after {@link #close()}
     */
    public Lease<C> lease() {
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("the client is closed");
            }
            if (current == null) {
                current = new Generation<>(open.get());
                opened++;
            }
            Generation<C> generation = current;
            generation.leases++;
            return new Lease<>(generation, this);
        }
    }

    /**
     * Closes the client before a snapshot: waits (at most {@link #DRAIN_LIMIT}) for the calls holding a lease on it,
     * then closes it. The next lease builds a new one.
     */
    public void closeForCheckpoint() {
        retireAndClose(true);
    }

    /**
     * Closes the client for good, at once (calls in flight fail as the client's own close makes them), and
     * unregisters its hooks; later leases fail. Calling it again does nothing.
     */
    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        hooks.close();
        retireAndClose(false);
    }

    /** Whether a client is open now (built and not closed by a checkpoint or {@link #close()}). */
    public boolean isOpen() {
        synchronized (lock) {
            return current != null;
        }
    }

    /** How many clients have been built so far: one at start, one more after each checkpoint that was followed by a call. */
    public int openedCount() {
        synchronized (lock) {
            return opened;
        }
    }

    private void retireAndClose(boolean drain) {
        Generation<C> retired;
        synchronized (lock) {
            retired = current;
            current = null;
            if (retired == null) {
                return;
            }
            long deadline = System.nanoTime() + DRAIN_LIMIT.toNanos();
            boolean interrupted = false;
            while (drain && retired.leases > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                try {
                    lock.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        close.accept(retired.client);
    }

    private void released(Generation<C> generation) {
        synchronized (lock) {
            generation.leases--;
            if (generation.leases == 0 && generation != current) {
                lock.notifyAll();
            }
        }
    }

    /** One built client and the calls using it (guarded by the owner's lock). */
    private static final class Generation<C> {

        final C client;
        int leases;

        Generation(C client) {
            this.client = client;
        }
    }

    /**
     * The client for one call; the checkpoint does not close it until every lease on it is closed.
     *
     * @param <C> the client
     */
    public static final class Lease<C> implements AutoCloseable {

        private final Generation<C> generation;
        private final ReopenableClient<C> owner;
        private final AtomicBoolean released = new AtomicBoolean();

        private Lease(Generation<C> generation, ReopenableClient<C> owner) {
            this.generation = generation;
            this.owner = owner;
        }

        /** The client, open until this lease is closed. */
        public C client() {
            return generation.client;
        }

        /** Ends the call's use of the client; calling it again does nothing. */
        @Override
        public void close() {
            if (released.compareAndSet(false, true)) {
                owner.released(generation);
            }
        }
    }
}
