package dev.dbproxy.lab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dbproxy.lab.result.ComparisonResult;
import dev.dbproxy.lab.result.Sample;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultJsonTest {

    private final ResultJson resultJson = ResultJson.create();
    private final ComparisonResult result = SyntheticComparison.typical();

    @Test
    void fromJson_ofToJson_returnsAnEqualResult_includingNaNLatencies() {
        assertTrue(result.runs().getFirst().samples().stream().anyMatch(sample -> Double.isNaN(sample.p50Millis())),
                "the fixture must contain intervals without requests");

        ComparisonResult read = resultJson.fromJson(resultJson.toJson(result));

        assertEquals(result, read);
        Sample idle = read.runs().getFirst().samples().getLast();
        assertTrue(Double.isNaN(idle.p50Millis()));
        assertTrue(Double.isNaN(idle.p99Millis()));
    }

    @Test
    void toJson_writesNaNAsNull_instantsAsIsoStrings_andEveryDocumentedField() throws Exception {
        String json = resultJson.toJson(result);
        JsonNode tree = new ObjectMapper().readTree(json);

        assertFalse(json.contains("NaN"));
        assertEquals("2026-11-26T17:54:00Z", tree.get("startedAt").textValue());
        assertEquals(ComparisonResult.SCHEMA_VERSION, tree.get("schemaVersion").intValue());
        JsonNode idle = tree.at("/runs/0/samples").get(tree.at("/runs/0/samples").size() - 1);
        assertTrue(idle.get("p50Millis").isNull());
        assertTrue(idle.get("p99Millis").isNull());
        assertEquals(List.of("configuration", "reclaimMode", "summary", "samples", "events"),
                fieldNames(tree.at("/runs/0")));
        assertEquals(List.of("label", "strategy", "businessCompute", "proxyCompute"),
                fieldNames(tree.at("/runs/0/configuration")));
        assertEquals(List.of("seconds", "users", "connections", "ownConnections", "connectionsByApp",
                "connectionsCreated", "requestsPerSecond", "p50Millis", "p99Millis", "environments"),
                fieldNames(idle));
        assertEquals(List.of("DirectGetNoteFunction", "DirectListNotesFunction", "notes-lab-gauge"),
                fieldNames(tree.at("/runs/0/samples/200/connectionsByApp")), "sorted appNames");
        assertEquals(List.of("DirectGetNoteFunction", "DirectListNotesFunction"),
                fieldNames(tree.at("/runs/0/summary/peakConnectionsByFunction")));
        assertEquals("none", tree.at("/runs/0/summary/leftovers/handling").textValue());
        assertEquals(List.of("get-note", "list-notes"), fieldNames(idle.get("environments")));
        assertEquals(List.of("live", "busy", "zombie"), fieldNames(idle.get("environments").get("get-note")));
        assertTrue(json.contains("\n  \"settings\" : {"), "pretty-printed");
        long sampleLines = json.lines().filter(line -> line.trim().startsWith("{\"seconds\":")).count();
        assertEquals(result.runs().stream().mapToLong(run -> run.samples().size()).sum(), sampleLines,
                "one line per sample");
    }

    @Test
    void fromJson_ofAnotherSchemaVersion_failsNamingBothVersions() throws Exception {
        ObjectNode tree = (ObjectNode) new ObjectMapper().readTree(resultJson.toJson(result));
        tree.put("schemaVersion", 99);

        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> resultJson.fromJson(tree.toString()));

        assertTrue(error.getMessage().contains("99"), error.getMessage());
        assertTrue(error.getMessage().contains("schemaVersion " + ComparisonResult.SCHEMA_VERSION),
                error.getMessage());
    }

    @Test
    void fromJson_ofAResultWithoutAField_fails() throws Exception {
        ObjectNode tree = (ObjectNode) new ObjectMapper().readTree(resultJson.toJson(result));
        tree.remove("pricing");

        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> resultJson.fromJson(tree.toString()));

        assertTrue(error.getMessage().contains("pricing"), error.getMessage());
    }

    @Test
    void fromJson_ofAnUnknownField_fails() throws Exception {
        ObjectNode tree = (ObjectNode) new ObjectMapper().readTree(resultJson.toJson(result));
        tree.put("surprise", 1);

        assertThrows(IllegalArgumentException.class, () -> resultJson.fromJson(tree.toString()));
    }

    @Test
    void readFrom_ofWriteTo_returnsAnEqualResult(@TempDir Path directory) {
        Path file = directory.resolve("result.json");

        resultJson.writeTo(result, file);

        assertEquals(result, resultJson.readFrom(file));
    }

    @Test
    void readFrom_aMissingFile_failsNamingIt(@TempDir Path directory) {
        Path missing = directory.resolve("missing.json");

        UncheckedIOException error = assertThrows(UncheckedIOException.class, () -> resultJson.readFrom(missing));

        assertTrue(error.getMessage().contains(missing.toString()), error.getMessage());
    }

    @Test
    void withManagedInstances_roundTrips_andNamesEachRunsConfigurationUsageAndVerdict() throws Exception {
        ComparisonResult managed = SyntheticComparison.withManagedInstances();
        String json = resultJson.toJson(managed);
        JsonNode tree = new ObjectMapper().readTree(json);

        assertEquals(managed, resultJson.fromJson(json));
        assertEquals(7, tree.get("runs").size());
        JsonNode proxyOnManaged = tree.at("/runs/6");
        assertEquals("lambda-proxy / proxy on managed instances", proxyOnManaged.at("/configuration/label").textValue());
        assertEquals("lambda", proxyOnManaged.at("/configuration/businessCompute").textValue());
        assertEquals("managed-instances", proxyOnManaged.at("/configuration/proxyCompute").textValue());
        assertEquals("graceful", proxyOnManaged.get("reclaimMode").textValue());
        assertEquals(List.of("minEnvironments", "maxVCpuCount", "environmentsStarted",
                "peakConcurrentInvocationsPerEnvironment", "environmentSeconds", "vCpuSeconds"),
                fieldNames(proxyOnManaged.at("/summary/managedInstances")));
        assertEquals(List.of("gbSeconds", "requestsUsd", "computeUsd", "instanceSeconds", "instancesUsd",
                "managementFeeUsd", "usdPerMillionRequests", "proxyGbSeconds"), fieldNames(proxyOnManaged.at("/summary/cost")));
        assertEquals(List.of("fewestConnections", "lowestCost", "refused"), fieldNames(tree.get("verdict")));
        assertEquals(6, tree.at("/verdict/fewestConnections/peakConnections").intValue());
        assertEquals(5, tree.at("/verdict/refused/6/throttled").intValue());
        assertEquals("m7g.large", tree.at("/pricing/managedInstances/instanceType").textValue());
    }

    @Test
    void fromJson_ofAVerdictThatDoesNotFollowFromTheRuns_fails() throws Exception {
        ObjectNode tree = (ObjectNode) new ObjectMapper().readTree(
                resultJson.toJson(SyntheticComparison.withManagedInstances()));
        ((ObjectNode) tree.at("/verdict/fewestConnections")).put("peakConnections", 1);

        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> resultJson.fromJson(tree.toString()));

        assertTrue(error.getMessage().contains("verdict"), error.getMessage());
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
