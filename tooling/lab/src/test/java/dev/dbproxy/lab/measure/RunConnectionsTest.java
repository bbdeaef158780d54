package dev.dbproxy.lab.measure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunConnectionsTest {

    private static final List<String> PROXY_RUN = List.of("DbProxyFunction", "ProxyListNotesFunction");
    private static final List<String> DIRECT_RUN = List.of("DirectListNotesFunction", "DirectListNotesFunction2");

    @Test
    void owner_isTheFunctionOfThatName_orTheOneACloudFormationPhysicalNameEmbeds() {
        assertEquals("DbProxyFunction", RunConnections.owner("DbProxyFunction", PROXY_RUN));
        assertEquals("DbProxyFunction", RunConnections.owner("notes-DbProxyFunction-Ab12Cd34", PROXY_RUN));
        assertEquals("DirectListNotesFunction2",
                RunConnections.owner("notes-DirectListNotesFunction2-XyZ", DIRECT_RUN));
        assertEquals("DirectListNotesFunction2", RunConnections.owner("DirectListNotesFunction2", DIRECT_RUN));
    }

    @Test
    void owner_ofAnotherClientsAppName_isNone() {
        assertNull(RunConnections.owner(DatabaseConnections.APP_NAME, PROXY_RUN));
        assertNull(RunConnections.owner("DirectListNotesFunction", PROXY_RUN));
        assertNull(RunConnections.owner("DbProxyFunctionOld", PROXY_RUN), "a longer name is another function");
        assertNull(RunConnections.owner(DatabaseConnections.UNNAMED, PROXY_RUN));
    }

    @Test
    void perFunction_countsOnlyTheRunsFunctions_leavingOutTheGaugeAndEarlierRuns() {
        DatabaseConnections.Reading reading = reading(Map.of("DbProxyFunction", 4L, "notes-lab-gauge", 2L,
                "DirectListNotesFunction", 20L));
        RunConnections attribution = RunConnections.of(PROXY_RUN);

        assertEquals(Map.of("DbProxyFunction", 4L), attribution.perFunction(reading));
        assertEquals(4, attribution.own(reading));
    }

    @Test
    void own_withoutAttribution_isTheTotalMinusTheGaugesConnections() {
        DatabaseConnections.Reading totalsOnly = new DatabaseConnections.Reading(9, 30, Map.of(), false);

        assertEquals(9 - DatabaseConnections.OWN_CONNECTIONS, RunConnections.of(PROXY_RUN).own(totalsOnly));
        assertEquals(Map.of(), RunConnections.of(PROXY_RUN).perFunction(totalsOnly));
    }

    private static DatabaseConnections.Reading reading(Map<String, Long> byAppName) {
        long total = byAppName.values().stream().mapToLong(Long::longValue).sum();
        return new DatabaseConnections.Reading(total, total, byAppName, true);
    }
}
