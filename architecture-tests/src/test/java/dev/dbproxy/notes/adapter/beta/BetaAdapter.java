package dev.dbproxy.notes.adapter.beta;

/** An innocent adapter that others reach into in the deliberate violations. */
public class BetaAdapter {
}
