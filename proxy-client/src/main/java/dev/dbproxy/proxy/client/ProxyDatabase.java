package dev.dbproxy.proxy.client;

import dev.dbproxy.proxy.client.internal.ProxyCalls;
import dev.dbproxy.proxy.protocol.Namespace;

/** One database behind the DB proxy; {@link #collection(String)} gives the handle that runs operations. */
public final class ProxyDatabase {

    private final ProxyCalls calls;
    private final String name;

    ProxyDatabase(ProxyCalls calls, String name) {
        this.calls = calls;
        this.name = name;
    }

    /**
     * The collection {@code name} of this database. Cheap: build handles once and keep them, or build them per call.
     *
     * @throws IllegalArgumentException when the database or collection name is blank
     */
    public ProxyCollection collection(String name) {
        return new ProxyCollection(calls, Namespace.of(this.name, name));
    }

    /** The database's name. */
    public String name() {
        return name;
    }
}
