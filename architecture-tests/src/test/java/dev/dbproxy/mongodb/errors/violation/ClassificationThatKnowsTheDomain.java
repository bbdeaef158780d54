package dev.dbproxy.mongodb.errors.violation;

import dev.dbproxy.notes.core.error.PermanentFailureException;

/** Deliberate violation, test-only: the shared MongoDB error classification building the domain's exception. */
public class ClassificationThatKnowsTheDomain {
    public RuntimeException classify(Throwable failure) {
        return new PermanentFailureException(failure.getClass().getName());
    }
}
