package dev.dbproxy.proxy.client.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dbproxy.proxy.protocol.ProxyRequest;
import org.junit.jupiter.api.Test;

class ProxyRequestIdTest {

    @Test
    void aCallersRequestId_leadsTheProxyRequestsId_withASequenceNumber() {
        assertEquals("8f14e45f-ceea-467f-a0e4-6d7a1b2c3d4e/7",
                ProxyCalls.requestId("8f14e45f-ceea-467f-a0e4-6d7a1b2c3d4e", 7));
    }

    @Test
    void aCallersOverlongRequestId_isCut_soTheProxyRequestStaysWithinTheProtocolsLimit() {
        String id = ProxyCalls.requestId("x".repeat(500), Long.MAX_VALUE);

        assertTrue(id.length() <= ProxyRequest.MAX_REQUEST_ID_LENGTH, id);
        assertTrue(id.endsWith("/" + Long.MAX_VALUE), id);
    }

    @Test
    void withoutACaller_theRequestIdsStartWithARandomPrefixOfTheRepository() {
        String prefix = ProxyCalls.randomRequestIdPrefix();

        assertTrue(prefix.matches("[0-9a-f]{16}"), prefix);
        assertNotEquals(prefix, ProxyCalls.randomRequestIdPrefix());
        assertEquals(prefix + "/3", ProxyCalls.requestId(prefix, 3));
    }
}
