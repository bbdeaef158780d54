package dev.dbproxy.proxy.client.internal;

import java.util.Set;
import reactor.core.Scannable;

/**
 * Recognises a subscription whose thread will wait for this one result as soon as it has subscribed: one made by
 * {@code block()} (or {@code blockFirst()}, {@code blockLast()}, {@code blockOptional()}) through a chain of operators
 * none of which subscribes to further sources while this one runs, as a Lambda handler's {@code useCase.block()} does.
 * Such a thread cannot submit another operation before it has this result, so the operation may leave at once, on
 * that thread, instead of waiting for another thread to notice the submitter waiting.
 *
 * <p>The chain is read through Reactor's {@link Scannable} view of subscribers. An operator that combines sources
 * (the inner subscribers and coordinators of {@code flatMap}, {@code zip}, {@code merge}, {@code when},
 * {@code firstWithValue}...) makes the answer "no", so that its concurrent operations still share one batch. So does
 * a chain that ends anywhere but in a {@code block*()} ({@code subscribe(...)}, {@code toFuture()}), or that Reactor
 * cannot scan. A combining operator Reactor names differently would cost coalescing (one invocation per operation),
 * never a wrong result.
 */
final class BlockingCallers {

    /** What {@code block()}, {@code blockFirst()}, {@code blockLast()} and {@code blockOptional()} subscribe with. */
    private static final Set<String> BLOCKING_SUBSCRIBERS = Set.of(
            "reactor.core.publisher.BlockingSingleSubscriber",
            "reactor.core.publisher.BlockingOptionalMonoSubscriber");
    private static final Set<String> COMBINING_NAME_PARTS = Set.of("Inner", "Coordinator", "Emitting");
    /** Inner subscribers of operators that subscribe to one inner source at a time, after the previous ended. */
    private static final Set<String> ONE_SOURCE_AT_A_TIME = Set.of(
            "reactor.core.publisher.MonoFlatMap$FlatMapInner",
            "reactor.core.publisher.MonoFlatMapMany$FlatMapManyInner",
            "reactor.core.publisher.FluxConcatMap$ConcatMapInner");

    private enum Step { BLOCKING, COMBINING, PASSING_ON }

    private static final ClassValue<Step> STEPS = new ClassValue<>() {
        @Override
        protected Step computeValue(Class<?> type) {
            for (Class<?> current = type; current != null; current = current.getSuperclass()) {
                if (BLOCKING_SUBSCRIBERS.contains(current.getName())) {
                    return Step.BLOCKING;
                }
            }
            String name = type.getName();
            String ownName = name.substring(name.lastIndexOf('$') + 1);
            if (ONE_SOURCE_AT_A_TIME.contains(name)) {
                return Step.PASSING_ON;
            }
            for (String part : COMBINING_NAME_PARTS) {
                if (ownName.contains(part)) {
                    return Step.COMBINING;
                }
            }
            return Step.PASSING_ON;
        }
    };

    private BlockingCallers() {
    }

    /**
     * Whether the thread that made {@code subscription} (a sink or subscription handed to the source) blocks on its
     * result alone as soon as it returns.
     */
    static boolean blocksOnThisAlone(Object subscription) {
        for (Object step = Scannable.from(subscription).scan(Scannable.Attr.ACTUAL); step != null;
                step = Scannable.from(step).scan(Scannable.Attr.ACTUAL)) {
            switch (STEPS.get(step.getClass())) {
                case BLOCKING -> {
                    return true;
                }
                case COMBINING -> {
                    return false;
                }
                case PASSING_ON -> {
                }
            }
        }
        return false;
    }
}
