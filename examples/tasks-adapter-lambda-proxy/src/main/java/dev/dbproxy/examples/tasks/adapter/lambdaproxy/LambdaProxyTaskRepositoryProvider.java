package dev.dbproxy.examples.tasks.adapter.lambdaproxy;

import dev.dbproxy.examples.tasks.core.TaskRepository;
import dev.dbproxy.examples.tasks.core.TaskRepositoryProvider;
import dev.dbproxy.lambda.environment.EnvironmentNames;
import dev.dbproxy.proxy.client.DbProxyClient;
import dev.dbproxy.proxy.client.DbProxySettings;
import java.util.Map;

/**
 * {@code TASKS_REPOSITORY=lambda-proxy}: the function holds no database connection and invokes the DB proxy function
 * named by {@code DB_PROXY_FUNCTION} (and the optional {@code DB_PROXY_*} variables, see {@link DbProxySettings}) for
 * the database {@code TASKS_DATABASE} (default {@code tasks}).
 */
public final class LambdaProxyTaskRepositoryProvider implements TaskRepositoryProvider {

    public static final String TASKS_DATABASE = "TASKS_DATABASE";

    @Override
    public String name() {
        return "lambda-proxy";
    }

    @Override
    public TaskRepository create(Map<String, String> environment) {
        String database = EnvironmentNames.databaseName(environment, TASKS_DATABASE, "tasks",
                IllegalArgumentException::new);
        return new ProxyTaskRepository(DbProxyClient.create(DbProxySettings.fromEnv(environment)), database);
    }
}
