package dev.dbproxy.proxy.dataapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dbproxy.proxy.handler.InvalidProxySettingsException;
import dev.dbproxy.proxy.handler.ProxyPolicy;
import dev.dbproxy.proxy.protocol.ProxyAction;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DataApiKeysTest {

    private static final ProxyPolicy READS = new ProxyPolicy("notes", Set.of("notes"),
            EnumSet.of(ProxyAction.FIND, ProxyAction.FIND_ONE));

    @Test
    void newKey_isSixtyFourLettersAndDigits_andNeverRepeats() {
        String first = DataApiKeys.newKey();

        assertTrue(first.matches("[A-Za-z0-9]{64}"), first);
        assertNotEquals(first, DataApiKeys.newKey());
    }

    @Test
    void authenticate_findsTheRecordOfTheKey_andNothingForAnyOtherText() {
        String key = DataApiKeys.newKey();
        String other = DataApiKeys.newKey();
        DataApiKeys keys = DataApiKeys.of(List.of(new DataApiKey("reports", DataApiKeys.sha256(key), READS),
                new DataApiKey("other", DataApiKeys.sha256(other), READS)));

        assertEquals("reports", keys.authenticate(key).orElseThrow().name());
        assertEquals("other", keys.authenticate(other).orElseThrow().name());
        assertFalse(keys.authenticate(key.substring(1)).isPresent());
        assertFalse(keys.authenticate(key + " ").isPresent());
        assertFalse(keys.authenticate("").isPresent());
        assertFalse(keys.authenticate(DataApiKeys.toJson(List.of())).isPresent());
        assertFalse(DataApiKeys.none().authenticate(key).isPresent());
    }

    @Test
    void recordsWrittenAsJson_readBack_andHoldOnlyTheHash() {
        String key = DataApiKeys.newKey();
        List<DataApiKey> records = List.of(new DataApiKey("reports", DataApiKeys.sha256(key), READS));

        String json = DataApiKeys.toJson(records);
        DataApiKeys parsed = DataApiKeys.parse(json, "test");

        assertFalse(json.contains(key), json);
        assertTrue(json.contains(HexFormat.of().formatHex(DataApiKeys.sha256(key))), json);
        assertEquals(records.getFirst(), parsed.authenticate(key).orElseThrow());
        assertEquals(READS, parsed.named("reports").orElseThrow().policy());
    }

    @Test
    void parse_refusesInvalidRecords_namingTheSourceAndTheField() {
        String hash = "a".repeat(64);
        List<String> invalid = List.of(
                "not json",
                "[]",
                "{\"keys\": {}}",
                "{\"keys\": [{\"name\": \"a\", \"sha256\": \"" + hash + "\", \"database\": \"d\","
                        + " \"collections\": [\"c\"], \"actions\": [\"find\"], \"key\": \"plain\"}]}",
                "{\"keys\": [{\"name\": \"a\", \"sha256\": \"abc\", \"database\": \"d\","
                        + " \"collections\": [\"c\"], \"actions\": [\"find\"]}]}",
                "{\"keys\": [{\"name\": \"a\", \"sha256\": \"" + hash + "\", \"database\": \"d\","
                        + " \"collections\": [], \"actions\": [\"find\"]}]}",
                "{\"keys\": [{\"name\": \"a\", \"sha256\": \"" + hash + "\", \"database\": \"d\","
                        + " \"collections\": [\"c\"], \"actions\": [\"dropDatabase\"]}]}",
                "{\"keys\": [{\"name\": \"a\", \"sha256\": \"" + hash + "\", \"database\": \"d\","
                        + " \"collections\": [\"c\"], \"actions\": [\"find\"]}, {\"name\": \"a\", \"sha256\": \""
                        + "b".repeat(64) + "\", \"database\": \"d\", \"collections\": [\"c\"],"
                        + " \"actions\": [\"find\"]}]}");
        for (String json : invalid) {
            InvalidProxySettingsException e = assertThrows(InvalidProxySettingsException.class,
                    () -> DataApiKeys.parse(json, "DATA_API_KEYS"), json);
            assertTrue(e.getMessage().contains("DATA_API_KEYS") || e.getMessage().contains("twice"), e.getMessage());
        }
    }

    @Test
    void toString_namesTheKeysButNoHash() {
        DataApiKey key = new DataApiKey("reports", DataApiKeys.sha256("k"), READS);

        assertFalse(key.toString().contains(key.sha256Hex()));
        assertEquals("DataApiKeys[reports]", DataApiKeys.of(List.of(key)).toString());
    }
}
