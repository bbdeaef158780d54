package dev.dbproxy.notes.adapter.lambdaproxy;

import dev.dbproxy.notes.core.port.NoteRepository;
import dev.dbproxy.notes.core.port.NoteRepositoryProvider;
import dev.dbproxy.proxy.client.DbProxyClient;
import java.util.Map;
import software.amazon.awssdk.services.lambda.LambdaAsyncClient;

/**
 * Offers the proxy strategy, {@code NOTES_REPOSITORY=lambda-proxy}: business functions hold no database connection
 * and invoke the DB proxy function through the {@link DbProxyClient} instead. Configured by
 * {@link LambdaProxySettings}. The repository it builds is safe for all the invocations an environment runs at once:
 * each call travels with its own caller's request id and deadline, never with another invocation's.
 */
public final class LambdaProxyNoteRepositoryProvider implements NoteRepositoryProvider {

    /** The value of {@code NOTES_REPOSITORY} that selects this adapter. */
    public static final String NAME = "lambda-proxy";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public NoteRepository create(Map<String, String> environment) {
        return create(LambdaProxySettings.fromEnv(environment));
    }

    /** Builds the repository on a DB proxy client of its own, which it closes; call once per execution environment. */
    public static NoteRepository create(LambdaProxySettings settings) {
        return new LambdaProxyNoteRepository(DbProxyClient.create(settings.proxy()), settings);
    }

    /**
     * Builds the repository on a Lambda client the caller owns and closes (see
     * {@link DbProxyClient#create(dev.dbproxy.proxy.client.DbProxySettings, LambdaAsyncClient)}); closing the
     * repository leaves that client open.
     */
    public static NoteRepository create(LambdaProxySettings settings, LambdaAsyncClient lambda) {
        return new LambdaProxyNoteRepository(DbProxyClient.create(settings.proxy(), lambda), settings);
    }
}
