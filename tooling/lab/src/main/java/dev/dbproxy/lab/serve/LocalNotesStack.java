package dev.dbproxy.lab.serve;

import dev.dbproxy.lambda.platform.EnvironmentKind;
import dev.dbproxy.lambda.platform.FunctionDefinition;
import dev.dbproxy.lambda.platform.HttpApiGateway;
import dev.dbproxy.lambda.platform.HttpApiRoute;
import dev.dbproxy.lambda.platform.LocalLambdaPlatform;
import dev.dbproxy.lambda.platform.PlatformSettings;
import dev.dbproxy.lambda.platform.environment.ExecutionEnvironmentFactory;
import dev.dbproxy.lambda.platform.environment.InProcessEnvironmentFactory;
import dev.dbproxy.lambda.platform.template.SamTemplate;
import dev.dbproxy.lambda.platform.FunctionDefinition;
import dev.dbproxy.localmongodb.EmbeddedMongoDb;
import dev.dbproxy.proxy.dataapi.DataApiKey;
import dev.dbproxy.proxy.dataapi.DataApiKeySource;
import dev.dbproxy.proxy.dataapi.DataApiKeys;
import dev.dbproxy.proxy.handler.DbProxyHandler;
import dev.dbproxy.proxy.handler.ProxyPolicy;
import dev.dbproxy.proxy.protocol.ProxyAction;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Objects;

/**
 * The whole notes API of {@code sample-notes/template.yaml} on this machine: a database (the embedded MongoDB, or
 * the one a {@code MONGODB_URI} names), the local Lambda platform running every function of the template (the
 * direct-strategy and proxy-strategy business functions and the DB proxy), and the HTTP API gateway serving every
 * route of the template ({@code /direct/notes...} and {@code /proxy/notes...}) on loopback.
 *
 * <p>Both strategies reach the same database and collection, so they see the same notes. Used by {@code serve}, by
 * the end-to-end tests and by the reliability tests.
 *
 * <p>The DB proxy also serves the Data API ({@code proxy-handler/DATA-API.md}) on {@code POST /action/{action}}: the
 * stack generates one key for this run ({@link #dataApiKey()}), allowed every Data API action on
 * {@code learn-data-api.tasks}, and gives the DB proxy only its hash ({@code DATA_API_KEYS}).
 */
public final class LocalNotesStack implements AutoCloseable {

    /** The database and collection {@code serve}'s Data API key may use: those of the Data API's documentation. */
    public static final String DATA_API_DATABASE = "learn-data-api";
    public static final String DATA_API_COLLECTION = "tasks";

    private final EmbeddedMongoDb embeddedDatabase;
    private final String mongoDbUri;
    private final SamTemplate template;
    private final LocalLambdaPlatform platform;
    private final HttpApiGateway gateway;
    private final String dataApiKey = DataApiKeys.newKey();
    private ExecutionEnvironmentFactory factory;

    private LocalNotesStack(Builder builder) {
        this.embeddedDatabase = builder.externalMongoDbUri == null ? EmbeddedMongoDb.start() : null;
        this.mongoDbUri = embeddedDatabase == null ? builder.externalMongoDbUri : embeddedDatabase.connectionString();
        LocalLambdaPlatform started = null;
        try {
            Map<String, String> parameters = new LinkedHashMap<>(builder.parameters);
            parameters.put("MongoDbUri", mongoDbUri);
            this.template = SamTemplate.load(builder.template, parameters);
            this.factory = builder.environments.newFactory(builder.sharedLibraries
                    ? InProcessEnvironmentFactory.CLIENT_LIBRARIES : List.of());
            started = LocalLambdaPlatform.start(builder.platformSettings, factory);
            List<FunctionDefinition> functions = new ArrayList<>();
            List<HttpApiRoute> routes = new ArrayList<>(template.routes());
            for (FunctionDefinition function : template.functions()) {
                if (function.handler().startsWith(DbProxyHandler.class.getName() + "::")) {
                    function = withDataApi(function);
                    routes.add(new HttpApiRoute("POST", "/action/{action}", function.name()));
                }
                functions.add(builder.environments == EnvironmentKind.PROCESS
                        ? function.toBuilder().classPath(List.of(template.codeUri(function.name()))).build() : function);
            }
            started.deployAll(functions);
            this.platform = started;
            this.gateway = started.startHttpApiGateway(routes, template.httpApiAccess(), builder.gatewayPort);
        } catch (RuntimeException e) {
            if (started != null) {
                started.close();
            }
            closeFactory();
            if (embeddedDatabase != null) {
                embeddedDatabase.close();
            }
            throw e;
        }
    }

    /**
     * The DB proxy with this run's Data API key record: every Data API action on the collection of the Data API
     * documentation's examples ({@value #DATA_API_DATABASE}.{@value #DATA_API_COLLECTION}), so that they run as
     * written, apart from the notes, whose documents they would not fit.
     */
    private FunctionDefinition withDataApi(FunctionDefinition proxy) {
        ProxyPolicy policy = new ProxyPolicy(DATA_API_DATABASE, Set.of(DATA_API_COLLECTION),
                EnumSet.complementOf(EnumSet.of(ProxyAction.COUNT_DOCUMENTS)));
        String records = DataApiKeys.toJson(List.of(new DataApiKey("serve", DataApiKeys.sha256(dataApiKey), policy)));
        return proxy.toBuilder().environmentVariable(DataApiKeySource.DATA_API_KEYS, records).build();
    }

    /** The Data API key of this run (shown by {@code serve}; the DB proxy holds only its hash). */
    public String dataApiKey() {
        return dataApiKey;
    }

    /** A stack on the embedded MongoDB, the template found from the working folder and an ephemeral port. */
    public static LocalNotesStack start() {
        return builder().start();
    }

    /** Options of a stack; every one has a default. */
    public static Builder builder() {
        return new Builder();
    }

    /** The gateway's base URL, for example {@code http://127.0.0.1:3000}; routes start with {@code /direct} or {@code /proxy}. */
    public URI baseUrl() {
        return gateway.endpoint();
    }

    /** The routes the gateway serves, in template order. */
    public List<HttpApiRoute> routes() {
        return gateway.routes();
    }

    /** The local Lambda platform running the template's functions (metrics, redeploys, reclaims). */
    public LocalLambdaPlatform platform() {
        return platform;
    }

    /** The template as loaded, with the parameter values the functions received. */
    public SamTemplate template() {
        return template;
    }

    /** Whether the database is the embedded one (and so {@link #embeddedDatabase()} can stop and restart it). */
    public boolean usesEmbeddedDatabase() {
        return embeddedDatabase != null;
    }

    /**
     * The embedded database server.
     *
     * @throws IllegalStateException when the stack uses the database of {@code MONGODB_URI}
     */
    public EmbeddedMongoDb embeddedDatabase() {
        if (embeddedDatabase == null) {
            throw new IllegalStateException("this stack uses an external MongoDB, not the embedded one");
        }
        return embeddedDatabase;
    }

    /** The connection string the functions use; it may hold credentials, so never print it. */
    public String mongoDbUri() {
        return mongoDbUri;
    }

    /** Stops the gateway, the platform (closing every environment) and the embedded database, in that order. */
    @Override
    public void close() {
        try {
            gateway.close();
            platform.close();
            closeFactory();
        } finally {
            if (embeddedDatabase != null) {
                embeddedDatabase.close();
            }
        }
    }

    private void closeFactory() {
        if (factory instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                throw new IllegalStateException("closing the environment factory failed", e);
            }
        }
    }

    /** Finds {@code sample-notes/template.yaml} from the working folder or one of its parents. */
    public static Path findTemplate() {
        for (Path folder = Path.of("").toAbsolutePath(); folder != null; folder = folder.getParent()) {
            Path candidate = folder.resolve("sample-notes/template.yaml");
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("sample-notes/template.yaml not found from " + Path.of("").toAbsolutePath());
    }

    /** Options of a {@link LocalNotesStack}. */
    public static final class Builder {

        private Path template;
        private String externalMongoDbUri;
        private int gatewayPort;
        private PlatformSettings platformSettings = PlatformSettings.defaults();
        private boolean sharedLibraries = true;
        private EnvironmentKind environments = EnvironmentKind.IN_PROCESS;
        private final Map<String, String> parameters = new LinkedHashMap<>();

        private Builder() {
        }

        /** The SAM template to run; default: {@link #findTemplate()}. */
        public Builder template(Path template) {
            this.template = Objects.requireNonNull(template, "template");
            return this;
        }

        /**
         * A MongoDB to use instead of starting the embedded one; {@code null} or blank keeps the embedded one, so
         * {@code externalMongoDbUri(System.getenv("MONGODB_URI"))} does what the README promises.
         */
        public Builder externalMongoDbUri(String uri) {
            this.externalMongoDbUri = uri == null || uri.isBlank() ? null : uri;
            return this;
        }

        /** The gateway's port on loopback; 0 (the default) picks a free one. */
        public Builder gatewayPort(int port) {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port must be 0..65535, was " + port);
            }
            this.gatewayPort = port;
            return this;
        }

        /** How the platform runs environments (idle timeout, zombie lifetime, ...); default: the platform's defaults. */
        public Builder platformSettings(PlatformSettings settings) {
            this.platformSettings = Objects.requireNonNull(settings, "settings");
            return this;
        }

        /**
         * Whether environments share the client libraries' classes (the default; see
         * {@link InProcessEnvironmentFactory#sharingLibraries(List)}) or each loads its own copy, as on AWS.
         */
        public Builder sharedLibraries(boolean shared) {
            this.sharedLibraries = shared;
            return this;
        }

        /**
         * How environments run: in-process (the default) or a process per environment running the template's
         * deployment jars ({@code CodeUri}; build them first with {@code mvn package}).
         */
        public Builder environments(EnvironmentKind kind) {
            this.environments = Objects.requireNonNull(kind, "kind");
            return this;
        }

        /** A template parameter value, like {@code sam deploy --parameter-overrides Name=Value}. */
        public Builder parameter(String name, String value) {
            if (name.equals("MongoDbUri")) {
                throw new IllegalArgumentException("MongoDbUri is set by the stack; use externalMongoDbUri");
            }
            parameters.put(name, value);
            return this;
        }

        /** Starts the database (when embedded), the platform with every function, and the gateway. */
        public LocalNotesStack start() {
            if (template == null) {
                template = findTemplate();
            }
            return new LocalNotesStack(this);
        }
    }
}
