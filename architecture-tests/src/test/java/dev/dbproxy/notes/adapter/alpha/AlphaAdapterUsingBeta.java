package dev.dbproxy.notes.adapter.alpha;

import dev.dbproxy.notes.adapter.beta.BetaAdapter;

/** Deliberate violation, test-only: one adapter depending on another. */
public class AlphaAdapterUsingBeta {
    public BetaAdapter beta() {
        return new BetaAdapter();
    }
}
