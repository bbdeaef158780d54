package dev.dbproxy.lab.run;

import dev.dbproxy.lab.load.RequestSigner;
import dev.dbproxy.lab.load.ReaderRoutes;
import dev.dbproxy.lab.result.Configuration;
import dev.dbproxy.lab.result.Sample;
import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * A deployed HTTP API (the local {@code serve}, or the real API Gateway stage of the SAM template), driven from
 * outside: the routes {@code /direct/notes} and {@code /proxy/notes}. Environments and invocations are not visible
 * from here; connections are read from the database itself and attributed to the strategy's functions by the
 * template's logical names ({@code DirectListNotesFunction}, {@code DbProxyFunction}, ...), which {@code serve} uses
 * as function names and a CloudFormation stack embeds in its physical names.
 */
public final class RemoteTarget implements LabTarget {

    private final URI baseUrl;
    private final String strategy;
    private final RequestSigner signer;

    /** The API at {@code baseUrl}, its requests signed by {@code signer}. */
    public RemoteTarget(URI baseUrl, String strategy, RequestSigner signer) {
        this.baseUrl = baseUrl;
        this.strategy = strategy;
        this.signer = signer;
    }

    @Override
    public RequestSigner requestSigner() {
        return signer;
    }

    /** The path prefix of a strategy's routes in the SAM template. */
    public static String routePrefix(String strategy) {
        return switch (strategy) {
            case "direct" -> "/direct";
            case "lambda-proxy" -> "/proxy";
            default -> throw new IllegalArgumentException("unknown strategy " + strategy);
        };
    }

    /** The template's functions of a strategy that the reader routes reach, and the DB proxy they invoke. */
    static List<String> templateFunctions(String strategy) {
        return switch (strategy) {
            case "direct" -> List.of("DirectListNotesFunction", "DirectGetNoteFunction");
            case "lambda-proxy" -> List.of("DbProxyFunction", "ProxyListNotesFunction", "ProxyGetNoteFunction");
            default -> throw new IllegalArgumentException("unknown strategy " + strategy);
        };
    }

    @Override
    public Configuration configuration() {
        return strategy.equals("direct") ? Configuration.DIRECT : Configuration.LAMBDA_PROXY;
    }

    @Override
    public String reclaimMode() {
        return "unknown";
    }

    @Override
    public URI baseUrl() {
        return baseUrl;
    }

    @Override
    public List<ReaderRoutes> readerRoutes() {
        String notes = routePrefix(strategy) + "/notes";
        return List.of(new ReaderRoutes(notes, notes));
    }

    @Override
    public List<String> functions() {
        return templateFunctions(strategy);
    }

    @Override
    public Map<String, Sample.EnvironmentCounts> environments() {
        return Map.of();
    }

    @Override
    public boolean canRedeploy() {
        return false;
    }

    @Override
    public void redeployBusinessFunctions() {
        throw new UnsupportedOperationException("a remote API cannot be redeployed from the lab");
    }

    @Override
    public Totals totals() {
        return Totals.UNKNOWN;
    }

    @Override
    public void close() {
    }
}
