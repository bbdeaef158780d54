package dev.dbproxy.proxy.handler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.dbproxy.proxy.protocol.ErrorCode;
import dev.dbproxy.proxy.protocol.InvalidProxyMessageException;
import dev.dbproxy.proxy.protocol.ProxyJsonCodec;
import dev.dbproxy.proxy.protocol.ProxyRequest;

/**
 * Coverage-guided fuzzing of request parsing: any bytes either read as a well-formed request or are refused with
 * {@code VALIDATION}; nothing else escapes. The corpus under {@code ProxyJsonCodecFuzzTestInputs/} runs in every build;
 * {@code JAZZER_FUZZ=1} explores from it (see README.md).
 */
class ProxyJsonCodecFuzzTest {

    private static final ProxyJsonCodec CODEC = ProxyJsonCodec.create();

    @FuzzTest(maxDuration = "5s")
    void readRequest_onAnyBytes_returnsAValidRequestOrRefusesWithValidation(byte[] input) {
        ProxyRequest request;
        try {
            request = CODEC.readRequest(input);
        } catch (InvalidProxyMessageException invalid) {
            assertEquals(ErrorCode.VALIDATION, invalid.error().code(), invalid.getMessage());
            assertNotNull(invalid.error().message());
            return;
        }
        assertNotNull(request.requestId());
        assertFalse(request.requestId().isEmpty(), "a request id is 1-128 characters");
        assertNotNull(request.deadline());
        assertFalse(request.operations().isEmpty(), "a batch has at least one operation");
        ProxyRequest again = CODEC.readRequest(CODEC.writeRequest(request));
        assertEquals(request.requestId(), again.requestId(), "a request read and written reads the same");
        assertEquals(request.operations().size(), again.operations().size());
        assertEquals(request.callers(), again.callers(), "version 2 keeps every operation's caller");
        request.callers().forEach(caller -> assertFalse(caller.deadline().isAfter(request.deadline()),
                "no operation's deadline is later than its request's"));
    }
}
