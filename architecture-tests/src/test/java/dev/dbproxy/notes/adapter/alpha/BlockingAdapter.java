package dev.dbproxy.notes.adapter.alpha;

import reactor.core.publisher.Mono;

/** Deliberate violation, test-only: library code blocking on a reactive value. */
public class BlockingAdapter {
    public String value() {
        return Mono.just("x").block();
    }
}
