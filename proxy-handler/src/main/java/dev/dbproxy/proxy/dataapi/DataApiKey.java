package dev.dbproxy.proxy.dataapi;

import dev.dbproxy.proxy.handler.ProxyPolicy;
import java.util.HexFormat;
import java.util.Objects;

/**
 * One Data API key as the endpoint stores it: its name (for logs), the SHA-256 of the key (never the key itself) and
 * what a caller holding it may do.
 *
 * @param name   a label for log lines and error investigations, never secret
 * @param sha256 the 32 bytes of SHA-256 over the key's UTF-8 text
 * @param policy the databases, collections and actions this key allows, and the operators it never allows
 */
public record DataApiKey(String name, byte[] sha256, ProxyPolicy policy) {

    /** Checks the name and the hash's length and copies the hash. */
    public DataApiKey {
        if (name == null || name.isBlank() || name.length() > 64 || name.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("a key's name must be 1 to 64 characters without control characters");
        }
        Objects.requireNonNull(policy, "policy");
        if (sha256 == null || sha256.length != 32) {
            throw new IllegalArgumentException("key '" + name + "': sha256 must be 64 hexadecimal digits");
        }
        sha256 = sha256.clone();
    }

    /** The hash (a copy). */
    @Override
    public byte[] sha256() {
        return sha256.clone();
    }

    /** The hash as 64 lower-case hexadecimal digits, as the key records hold it. */
    public String sha256Hex() {
        return HexFormat.of().formatHex(sha256);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof DataApiKey key && name.equals(key.name)
                && java.util.Arrays.equals(sha256, key.sha256) && policy.equals(key.policy);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, java.util.Arrays.hashCode(sha256), policy);
    }

    /** Names the key and its policy; the hash is not secret, but it is no use in a log line either. */
    @Override
    public String toString() {
        return "DataApiKey[name=" + name + ", policy=" + policy + "]";
    }
}
