package dev.dbproxy.lambda.platform.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.dbproxy.lambda.environment.SnapStartHooks;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Registers SnapStart runtime hooks through the project's {@link SnapStartHooks} and reports, in each answer, what
 * ran in its process and in which order: {@code init} (the constructor), {@code beforeCheckpoint},
 * {@code afterRestore}, then one {@code invocation} per call. With {@code PROBE_FAIL_AFTER_RESTORE=true} its
 * {@code afterRestore} throws, as a hook that cannot reconnect would.
 */
public class SnapStartProbeHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {

    /** What the failing {@code afterRestore} throws. */
    public static final String RESTORE_FAILURE = "afterRestore refused by the probe";

    private final List<String> events = new CopyOnWriteArrayList<>();
    private final SnapStartHooks.Registration hooks;

    public SnapStartProbeHandler() {
        events.add("init");
        boolean failAfterRestore = Boolean.parseBoolean(System.getenv("PROBE_FAIL_AFTER_RESTORE"));
        hooks = SnapStartHooks.register("snap-start probe", () -> events.add("beforeCheckpoint"), () -> {
            events.add("afterRestore");
            if (failAfterRestore) {
                throw new IllegalStateException(RESTORE_FAILURE);
            }
        });
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> request, Context context) {
        events.add("invocation");
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("pid", ProcessHandle.current().pid());
        answer.put("events", List.copyOf(events));
        answer.put("initializationType", System.getenv("AWS_LAMBDA_INITIALIZATION_TYPE"));
        answer.put("logStreamName", String.valueOf(System.getenv("AWS_LAMBDA_LOG_STREAM_NAME")));
        return answer;
    }
}
