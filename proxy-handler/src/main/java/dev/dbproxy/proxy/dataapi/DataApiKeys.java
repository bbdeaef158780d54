package dev.dbproxy.proxy.dataapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dbproxy.proxy.handler.InvalidProxySettingsException;
import dev.dbproxy.proxy.handler.ProxyPolicy;
import dev.dbproxy.proxy.protocol.InvalidProxyMessageException;
import dev.dbproxy.proxy.protocol.ProxyAction;
import dev.dbproxy.proxy.protocol.ProxyJsonCodec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The Data API keys an endpoint accepts, stored only as SHA-256 hashes, each with its own policy.
 *
 * <p>Why a plain SHA-256 is enough: the keys are generated ({@link #newKey()}: 64 characters from 62, about 381 bits
 * from {@link SecureRandom}), not chosen by people. Slow, salted hashes (bcrypt, Argon2) exist to make guessing a
 * low-entropy password from its hash expensive; guessing a 381-bit random key is out of reach however fast the hash
 * is, so a fast hash gives the same protection while costing microseconds, not tens of milliseconds, per request.
 * The comparison is constant-time ({@link MessageDigest#isEqual}) and runs over every record, so the time taken says
 * neither which record nor how many bytes matched.
 *
 * <p>The records are JSON (see {@code DATA-API.md}, "Keys"):
 * <pre>{"keys": [{"name": "reports", "sha256": "…64 hex digits…", "database": "notes",
 *   "collections": ["notes"], "actions": ["find", "findOne", "aggregate"]}]}</pre>
 */
public final class DataApiKeys {

    private static final ProxyJsonCodec JSON = ProxyJsonCodec.create();
    private static final Set<String> RECORD_FIELDS = Set.of("name", "sha256", "database", "collections", "actions");
    private static final char[] KEY_ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    private static final int KEY_LENGTH = 64;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final List<DataApiKey> keys;

    private DataApiKeys(List<DataApiKey> keys) {
        this.keys = List.copyOf(keys);
    }

    /** No key at all: every Data API request is refused with 401. */
    public static DataApiKeys none() {
        return new DataApiKeys(List.of());
    }

    /** These keys; names must be unique. */
    public static DataApiKeys of(List<DataApiKey> keys) {
        Set<String> names = new HashSet<>();
        for (DataApiKey key : keys) {
            if (!names.add(key.name())) {
                throw new InvalidProxySettingsException("Data API key records: the name '" + key.name()
                        + "' is used twice");
            }
        }
        return new DataApiKeys(keys);
    }

    /**
     * Reads key records.
     *
     * @param source names where the records came from, for messages (a variable, a file, a parameter)
     * @throws InvalidProxySettingsException naming the source and the record when the JSON is not valid key records
     */
    public static DataApiKeys parse(String json, String source) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (InvalidProxyMessageException e) {
            throw new InvalidProxySettingsException(source + " is not valid JSON: " + e.getMessage());
        }
        if (root == null || !root.isObject() || root.size() != 1 || !root.path("keys").isArray()) {
            throw new InvalidProxySettingsException(source + " must be an object {\"keys\": [records]}");
        }
        List<DataApiKey> keys = new ArrayList<>();
        for (int i = 0; i < root.get("keys").size(); i++) {
            keys.add(record(root.get("keys").get(i), source + " keys[" + i + "]"));
        }
        return of(keys);
    }

    private static DataApiKey record(JsonNode record, String where) {
        if (!record.isObject()) {
            throw new InvalidProxySettingsException(where + " must be an object");
        }
        Iterator<String> names = record.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!RECORD_FIELDS.contains(name)) {
                throw new InvalidProxySettingsException(where + " has unknown field '" + name + "'; fields are "
                        + RECORD_FIELDS);
            }
        }
        String name = text(record, "name", where);
        String hash = text(record, "sha256", where);
        if (hash.length() != 64 || !hash.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            throw new InvalidProxySettingsException(where + ".sha256 must be 64 hexadecimal digits (the SHA-256 of"
                    + " the key, never the key)");
        }
        String database = text(record, "database", where);
        Set<String> collections = new LinkedHashSet<>(texts(record, "collections", where));
        Set<ProxyAction> actions = EnumSet.noneOf(ProxyAction.class);
        for (String action : texts(record, "actions", where)) {
            try {
                actions.add(ProxyAction.fromWireName(action));
            } catch (IllegalArgumentException e) {
                throw new InvalidProxySettingsException(where + ".actions: " + e.getMessage());
            }
        }
        try {
            return new DataApiKey(name, HexFormat.of().parseHex(hash.toLowerCase(java.util.Locale.ROOT)),
                    new ProxyPolicy(database, collections, actions));
        } catch (IllegalArgumentException e) {
            throw new InvalidProxySettingsException(where + ": " + e.getMessage());
        }
    }

    private static String text(JsonNode record, String field, String where) {
        JsonNode value = record.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw new InvalidProxySettingsException(where + "." + field + " must be a non-empty string");
        }
        return value.asText();
    }

    private static List<String> texts(JsonNode record, String field, String where) {
        JsonNode value = record.get(field);
        if (value == null || !value.isArray() || value.isEmpty()) {
            throw new InvalidProxySettingsException(where + "." + field + " must be a non-empty array of strings");
        }
        List<String> texts = new ArrayList<>();
        for (JsonNode element : value) {
            if (!element.isTextual() || element.asText().isBlank()) {
                throw new InvalidProxySettingsException(where + "." + field + " must be a non-empty array of strings");
            }
            texts.add(element.asText());
        }
        return texts;
    }

    /**
     * The key record whose hash matches the presented key, compared in constant time against every record.
     *
     * @param presented the {@code api-key} header's value; empty when the request had none
     * @return the matching key, or empty when none matches (the caller answers 401 without saying why)
     */
    public Optional<DataApiKey> authenticate(String presented) {
        if (presented == null || presented.isEmpty() || presented.length() > 512) {
            return Optional.empty();
        }
        byte[] hash = sha256(presented);
        DataApiKey match = null;
        for (DataApiKey key : keys) {
            if (MessageDigest.isEqual(hash, key.sha256()) && match == null) {
                match = key;
            }
        }
        return Optional.ofNullable(match);
    }

    /** The record with this name (the JWT authorizer's callers use the record named {@code jwt}). */
    public Optional<DataApiKey> named(String name) {
        return keys.stream().filter(key -> key.name().equals(name)).findFirst();
    }

    /** How many keys there are. */
    public int size() {
        return keys.size();
    }

    /** A new random key: 64 letters and digits, about 381 bits from {@link SecureRandom}. Shown once, never stored. */
    public static String newKey() {
        char[] key = new char[KEY_LENGTH];
        for (int i = 0; i < key.length; i++) {
            key[i] = KEY_ALPHABET[RANDOM.nextInt(KEY_ALPHABET.length)];
        }
        return new String(key);
    }

    /** SHA-256 of the key's UTF-8 bytes. */
    public static byte[] sha256(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** The records of these keys as JSON, the format {@link #parse} reads: hashes only. */
    public static String toJson(List<DataApiKey> keys) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        ArrayNode records = root.putArray("keys");
        for (DataApiKey key : keys) {
            ObjectNode record = records.addObject().put("name", key.name()).put("sha256", key.sha256Hex())
                    .put("database", key.policy().database());
            key.policy().collections().forEach(record.putArray("collections")::add);
            ArrayNode actions = record.putArray("actions");
            key.policy().actions().forEach(action -> actions.add(action.wireName()));
        }
        return root.toString();
    }

    /** Names the keys only. */
    @Override
    public String toString() {
        return "DataApiKeys" + keys.stream().map(DataApiKey::name).toList();
    }
}
