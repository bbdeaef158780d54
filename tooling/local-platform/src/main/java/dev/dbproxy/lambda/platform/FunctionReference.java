package dev.dbproxy.lambda.platform;

/**
 * A function as Invoke names it: {@code name}, {@code name:qualifier}, {@code account:function:name[:qualifier]}
 * or {@code arn:aws:lambda:region:account:function:name[:qualifier]}.
 *
 * @param name      the function's name
 * @param qualifier the version or alias, empty when none was given
 */
record FunctionReference(String name, String qualifier) {

    private static final String FUNCTION_SEGMENT = ":function:";

    static FunctionReference parse(String reference) {
        String rest = reference;
        int functionSegment = reference.indexOf(FUNCTION_SEGMENT);
        if (functionSegment >= 0) {
            rest = reference.substring(functionSegment + FUNCTION_SEGMENT.length());
        }
        int colon = rest.indexOf(':');
        return colon < 0 ? new FunctionReference(rest, "") : new FunctionReference(rest.substring(0, colon), rest.substring(colon + 1));
    }
}
