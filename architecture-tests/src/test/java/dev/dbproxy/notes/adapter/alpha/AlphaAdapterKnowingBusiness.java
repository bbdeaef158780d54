package dev.dbproxy.notes.adapter.alpha;

import dev.dbproxy.notes.sample.violation.BusinessHandlerUsingAdapter;

/** Deliberate violation, test-only: an adapter knowing a business function. */
public class AlphaAdapterKnowingBusiness {
    public Class<?> handler() {
        return BusinessHandlerUsingAdapter.class;
    }
}
