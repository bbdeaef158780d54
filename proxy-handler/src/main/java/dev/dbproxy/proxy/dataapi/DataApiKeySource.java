package dev.dbproxy.proxy.dataapi;

import dev.dbproxy.proxy.handler.InvalidProxySettingsException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * Where the Data API's key records come from, read once per execution environment when the DB proxy starts: at most
 * one of {@value #DATA_API_KEYS} (the records' JSON itself, for local runs), {@value #DATA_API_KEYS_FILE} (a file
 * holding it, which {@code serve} writes) and {@value #DATA_API_KEYS_PARAMETER} (the name of an SSM Parameter Store
 * SecureString holding it, on AWS). None: the endpoint has no key and answers every request 401. The records hold
 * hashes only, so none of these is a secret in itself; the parameter is a SecureString so that who may read the
 * records (and so learn key names and policies) is decided by IAM.
 */
public final class DataApiKeySource {

    /** The key records' JSON. */
    public static final String DATA_API_KEYS = "DATA_API_KEYS";
    /** A file holding the key records' JSON. */
    public static final String DATA_API_KEYS_FILE = "DATA_API_KEYS_FILE";
    /** The name of the SSM parameter (SecureString) holding the key records' JSON. */
    public static final String DATA_API_KEYS_PARAMETER = "DATA_API_KEYS_PARAMETER";
    /** Every variable this class reads; another {@code DATA_API_} variable is a typo and fails the start. */
    public static final Set<String> VARIABLES = Set.of(DATA_API_KEYS, DATA_API_KEYS_FILE, DATA_API_KEYS_PARAMETER);

    private DataApiKeySource() {
    }

    /**
     * The keys the environment names, reading SSM with a client built for this one call (once per environment).
     *
     * @throws InvalidProxySettingsException naming the variable when more than one source is set, a source cannot be
     *                                       read, or its records are invalid
     */
    public static DataApiKeys load(Map<String, String> env) {
        // No Supplier of the SDK's client here: linking one would load the SDK, which only some jars hold.
        return read(env, null);
    }

    /** As {@link #load(Map)}, with the SSM client built by {@code ssm} (tests point it at a local endpoint). */
    public static DataApiKeys load(Map<String, String> env, Supplier<SsmClient> ssm) {
        return read(env, ssm);
    }

    /** {@code ssm} null: a client of the SDK's defaults, built only if a parameter is read. */
    private static DataApiKeys read(Map<String, String> env, Supplier<?> ssm) {
        Set<String> unknown = new TreeSet<>();
        Set<String> given = new TreeSet<>();
        for (Map.Entry<String, String> variable : env.entrySet()) {
            if (variable.getKey().startsWith("DATA_API_")) {
                if (!VARIABLES.contains(variable.getKey())) {
                    unknown.add(variable.getKey());
                } else if (!variable.getValue().isBlank()) {
                    given.add(variable.getKey());
                }
            }
        }
        if (!unknown.isEmpty()) {
            throw new InvalidProxySettingsException("unknown variables " + unknown + "; the Data API reads "
                    + new TreeSet<>(VARIABLES));
        }
        if (given.size() > 1) {
            throw new InvalidProxySettingsException("set only one of " + given + ": each names all the key records");
        }
        if (given.isEmpty()) {
            return DataApiKeys.none();
        }
        String variable = given.iterator().next();
        String value = env.get(variable).strip();
        return switch (variable) {
            case DATA_API_KEYS -> DataApiKeys.parse(value, DATA_API_KEYS);
            case DATA_API_KEYS_FILE -> DataApiKeys.parse(readFile(value), DATA_API_KEYS_FILE + " (" + value + ")");
            default -> DataApiKeys.parse(readParameterWithTheSdk(value, ssm),
                    DATA_API_KEYS_PARAMETER + " (" + value + ")");
        };
    }

    /**
     * The parameter's value, read with the AWS SDK's SSM client, which only {@code proxy-handler-data-api-lambda.jar}
     * holds: the notes template's {@code proxy-handler-lambda.jar} leaves the SDK out.
     */
    private static String readParameterWithTheSdk(String name, Supplier<?> ssm) {
        try {
            return SsmKeyRecords.read(name, ssm);
        } catch (NoClassDefFoundError missingSdk) {
            throw new InvalidProxySettingsException(DATA_API_KEYS_PARAMETER + " needs the SSM client of"
                    + " proxy-handler-data-api-lambda.jar; this deployment package does not hold it");
        }
    }

    private static String readFile(String path) {
        try {
            return Files.readString(Path.of(path), StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            throw new InvalidProxySettingsException(DATA_API_KEYS_FILE + ": cannot read " + path + " ("
                    + e.getClass().getSimpleName() + ")");
        }
    }
}
