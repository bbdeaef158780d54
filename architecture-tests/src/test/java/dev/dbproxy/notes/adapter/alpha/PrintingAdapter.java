package dev.dbproxy.notes.adapter.alpha;

/** Deliberate violation, test-only: main code printing to the console. */
public class PrintingAdapter {
    public void report() {
        System.out.println("done");
    }
}
