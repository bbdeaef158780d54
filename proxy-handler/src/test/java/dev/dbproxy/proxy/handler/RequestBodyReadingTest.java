package dev.dbproxy.proxy.handler;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** {@link DbProxyHandler#readAtMost}: the whole body below the limit, never more than the limit, however it arrives. */
class RequestBodyReadingTest {

    @Test
    void emptyBody_isEmpty() throws IOException {
        assertEquals(0, DbProxyHandler.readAtMost(new ByteArrayInputStream(new byte[0]), 4097).length);
    }

    @Test
    void smallBody_isReadWhole() throws IOException {
        byte[] body = numbered(300);

        assertArrayEquals(body, DbProxyHandler.readAtMost(new ByteArrayInputStream(body), 4097));
    }

    @Test
    void bodyArrivingInPieces_acrossSeveralBufferGrowths_isReadWhole() throws IOException {
        byte[] body = numbered(3_000);

        assertArrayEquals(body, DbProxyHandler.readAtMost(trickling(body, 7), 10_001));
    }

    @Test
    void bodyOfExactlyTheLimitLessOne_isReadWhole() throws IOException {
        byte[] body = numbered(4_096);

        assertArrayEquals(body, DbProxyHandler.readAtMost(trickling(body, 100), 4_097));
    }

    @Test
    void bodyOverTheLimit_stopsAtTheLimit_soTheCallerCanRefuseIt() throws IOException {
        byte[] body = numbered(50_000);

        byte[] read = DbProxyHandler.readAtMost(trickling(body, 999), 4_097);

        assertArrayEquals(Arrays.copyOf(body, 4_097), read);
    }

    @Test
    void limitBelowTheFirstBuffer_isStillTheLimit() throws IOException {
        assertArrayEquals(numbered(11), DbProxyHandler.readAtMost(new ByteArrayInputStream(numbered(500)), 11));
    }

    private static byte[] numbered(int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) i;
        }
        return bytes;
    }

    /** A stream that hands out at most {@code piece} bytes per read, as a network stream may. */
    private static InputStream trickling(byte[] body, int piece) {
        return new ByteArrayInputStream(body) {
            @Override
            public synchronized int read(byte[] buffer, int offset, int length) {
                return super.read(buffer, offset, Math.min(length, piece));
            }
        };
    }
}
