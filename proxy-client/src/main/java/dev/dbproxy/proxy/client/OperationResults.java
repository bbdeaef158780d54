package dev.dbproxy.proxy.client;

import dev.dbproxy.proxy.protocol.OperationOutcome;
import dev.dbproxy.proxy.protocol.OperationResult;

/** Reads the outcome of one operation of a batch as its result, or as the {@link DbProxyException} it stands for. */
public final class OperationResults {

    private OperationResults() {
    }

    /**
     * The result of a succeeded operation.
     *
     * @throws DbProxyException the proxy's error for a failed operation ({@link DbProxyException#answered}), or a
     *                          permanent one for a skipped operation or a result of another type than expected
     */
    public static <T extends OperationResult> T require(OperationOutcome outcome, Class<T> expected) {
        return switch (outcome) {
            case OperationOutcome.Succeeded succeeded when expected.isInstance(succeeded.result()) ->
                    expected.cast(succeeded.result());
            case OperationOutcome.Succeeded unexpected -> throw DbProxyException.permanent("the proxy answered "
                    + unexpected.result().getClass().getSimpleName() + " where " + expected.getSimpleName()
                    + " was expected", null);
            case OperationOutcome.Failed failed -> throw DbProxyException.answered(failed.error(), writes(expected));
            case OperationOutcome.Skipped skipped ->
                    throw DbProxyException.permanent("the proxy skipped the operation", null);
        };
    }

    private static boolean writes(Class<? extends OperationResult> result) {
        return result == OperationResult.InsertedOne.class || result == OperationResult.InsertedMany.class
                || result == OperationResult.Updated.class || result == OperationResult.Deleted.class;
    }
}
