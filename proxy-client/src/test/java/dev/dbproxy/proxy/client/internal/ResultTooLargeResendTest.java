package dev.dbproxy.proxy.client.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dbproxy.proxy.protocol.ErrorCode;
import dev.dbproxy.proxy.protocol.Namespace;
import dev.dbproxy.proxy.protocol.OperationOutcome;
import dev.dbproxy.proxy.protocol.OperationResult;
import dev.dbproxy.proxy.protocol.ProxyError;
import dev.dbproxy.proxy.protocol.ProxyOperation;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which operations of a call go out again when some of its answers did not fit in a shared response. */
class ResultTooLargeResendTest {

    private static final Namespace NOTES = Namespace.of("notes", "notes");
    private static final ObjectNode FILTER = JsonNodeFactory.instance.objectNode().put("_id", 1);
    private static final ProxyOperation READ = new ProxyOperation.FindOne(NOTES, FILTER,
            JsonNodeFactory.instance.objectNode(), JsonNodeFactory.instance.objectNode());
    private static final ProxyOperation WRITE = new ProxyOperation.UpdateOne(NOTES, FILTER,
            JsonNodeFactory.instance.objectNode().set("$set", JsonNodeFactory.instance.objectNode().put("n", 1)),
            false);
    private static final OperationOutcome READ_OK = new OperationOutcome.Succeeded(
            new OperationResult.FoundOne(JsonNodeFactory.instance.objectNode()));
    private static final OperationOutcome WRITTEN = new OperationOutcome.Succeeded(
            new OperationResult.Updated(1, 1, NullNode.getInstance()));
    private static final OperationOutcome TOO_LARGE = new OperationOutcome.Failed(
            ProxyError.of(ErrorCode.RESULT_TOO_LARGE, "page"));

    @Test
    void nothingTooLarge_sendsNothingAgain() {
        assertEquals(List.of(), ProxyCalls.toSendAgain(List.of(WRITE, READ), List.of(WRITTEN, READ_OK)));
    }

    @Test
    void aReadAfterAWriteThatRan_isSentAgainAlone() {
        assertEquals(List.of(1), ProxyCalls.toSendAgain(List.of(WRITE, READ),
                List.of(WRITTEN, TOO_LARGE)));
    }

    @Test
    void aWriteAfterATooLargeRead_isNeverSentAgain_forItRan_whileLaterReadsAre() {
        assertEquals(List.of(0, 2), ProxyCalls.toSendAgain(List.of(READ, WRITE, READ),
                List.of(TOO_LARGE, WRITTEN, READ_OK)));
    }

    @Test
    void aWriteRefusedAsTooLarge_isSentAgain_withTheReadsAfterIt() {
        assertEquals(List.of(0, 1), ProxyCalls.toSendAgain(List.of(WRITE, READ),
                List.of(TOO_LARGE, READ_OK)));
    }
}
