package dev.dbproxy.notes.core.violation;

/** Deliberate violation, test-only: the domain knowing the MongoDB driver. */
public class CoreThatKnowsMongo {
    public Object document() {
        return new org.bson.Document();
    }
}
