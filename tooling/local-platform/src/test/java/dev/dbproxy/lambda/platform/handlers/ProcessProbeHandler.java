package dev.dbproxy.lambda.platform.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reports what a process environment looks like from inside (its process id, variables, heap, context) and misbehaves
 * on request (a map, not a record: the runtime interface client's Jackson cannot build records): {@code {"sleepMillis":N}}, {@code {"exitStatus":N}} (the process dies mid-invocation),
 * {@code {"responseBytes":N}}, {@code {"print":"text"}} (a line on stdout).
 */
public class ProcessProbeHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> request, Context context) {
        if (request.get("print") instanceof String line) {
            System.out.println(line);
        }
        if (request.get("exitStatus") instanceof Number status) {
            Runtime.getRuntime().halt(status.intValue());
        }
        if (request.get("sleepMillis") instanceof Number sleep) {
            try {
                Thread.sleep(sleep.longValue());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("pid", ProcessHandle.current().pid());
        answer.put("functionName", System.getenv("AWS_LAMBDA_FUNCTION_NAME"));
        answer.put("memorySize", System.getenv("AWS_LAMBDA_FUNCTION_MEMORY_SIZE"));
        answer.put("executionEnv", System.getenv("AWS_EXECUTION_ENV"));
        answer.put("javaToolOptions", System.getenv("JAVA_TOOL_OPTIONS"));
        answer.put("maxHeapBytes", Runtime.getRuntime().maxMemory());
        answer.put("requestId", context.getAwsRequestId());
        answer.put("invokedFunctionArn", context.getInvokedFunctionArn());
        answer.put("remainingMillis", context.getRemainingTimeInMillis());
        answer.put("classPath", System.getProperty("java.class.path"));
        answer.put("workingFolder", System.getProperty("user.dir"));
        if (request.get("responseBytes") instanceof Number size) {
            answer.put("filler", "x".repeat(size.intValue()));
        }
        return answer;
    }
}
