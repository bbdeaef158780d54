package dev.dbproxy.proxy.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.dbproxy.proxy.client.DbProxyException.Kind;
import dev.dbproxy.proxy.protocol.ErrorCode;
import dev.dbproxy.proxy.protocol.ProxyError;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DbProxyExceptionTest {

    @ParameterizedTest(name = "{0} on a write={1} -> {2}, may have applied={3}")
    @CsvSource({
            "VALIDATION, true, REFUSED, false",
            "FORBIDDEN, true, REFUSED, false",
            "DUPLICATE_KEY, true, REFUSED, false",
            "RESULT_TOO_LARGE, false, REFUSED, false",
            "DATABASE_UNAVAILABLE, true, UNAVAILABLE, true",
            "DATABASE_UNAVAILABLE, false, UNAVAILABLE, false",
            "TIMEOUT, true, TIMEOUT, true",
            "TIMEOUT, false, TIMEOUT, false",
            "INTERNAL, true, PERMANENT, true"})
    void theProxysCode_decidesTheKind_andAWriteWithAnUnknownOutcomeMayHaveApplied(ErrorCode code, boolean write,
            Kind kind, boolean mayHaveApplied) {
        DbProxyException error = DbProxyException.answered(ProxyError.of(code, "detail"), write);

        assertEquals(kind, error.kind());
        assertEquals(mayHaveApplied, error.mayHaveApplied());
        assertEquals("proxy error " + code + ": detail", error.getMessage());
        assertEquals(code, error.proxyCode().orElseThrow());
    }
}
