package dev.dbproxy.lambda.platform.template;

import dev.dbproxy.lambda.platform.FunctionDefinition;
import dev.dbproxy.lambda.platform.HttpApiAccess;
import dev.dbproxy.lambda.platform.HttpApiRoute;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An AWS SAM template, read so that the local platform runs the same functions and routes as AWS would.
 *
 * <p>Supported: {@code Parameters} (String, Number, CommaDelimitedList; Default, AllowedValues, AllowedPattern,
 * Min/MaxLength, Min/MaxValue) with local overrides; {@code Conditions} ({@code Fn::Equals}, {@code Fn::Not},
 * {@code Fn::And}, {@code Fn::Or}), a resource's {@code Condition}, {@code Fn::If} and {@code Ref AWS::NoValue}; {@code Transform} {@code AWS::Serverless-2016-10-31}, optionally after
 * {@code AWS::LanguageExtensions}; {@code Globals.Function}; one HTTP API, implicit ({@code Globals.HttpApi}) or an
 * {@code AWS::Serverless::HttpApi} resource named by the events' {@code ApiId}, whose {@code Auth} (AWS_IAM and JWT
 * authorizers, {@code DefaultAuthorizer}) and {@code DefaultRouteSettings} throttling are read into
 * {@link #httpApiAccess()} and not enforced locally; {@code AWS::Serverless::Function} with
 * {@code Handler}, {@code Runtime}, {@code MemorySize}, {@code Timeout}, {@code Environment.Variables},
 * {@code ReservedConcurrentExecutions}, {@code FunctionName}, {@code CapacityProviderConfig} with
 * {@code FunctionScalingConfig} (the function then runs on {@link dev.dbproxy.lambda.platform.ManagedInstances},
 * limited by its {@code AWS::Serverless::CapacityProvider}'s {@code ScalingConfig}) and {@code HttpApi} events ({@code Path},
 * {@code Method}, {@code PayloadFormatVersion: "2.0"}); the intrinsics {@code Ref} (parameters, pseudo parameters,
 * functions: their name), {@code Fn::Sub} (both forms) and {@code Fn::GetAtt} ({@code Function.Arn});
 * {@code CodeUri} (see {@link #codeUri(String)}: what process environments run). Read and
 * without local effect: {@code Architectures}, {@code Description}, {@code Policies}, {@code Role},
 * {@code Tags}, {@code Tracing}, {@code PackageType: Zip}, resource {@code Metadata}, and the {@code Outputs} and
 * {@code Metadata} sections (not evaluated). Anything else fails with a {@link TemplateException} naming it.
 *
 * @param description the template's description, empty when none
 * @param parameters  every parameter's value after defaults and overrides
 * @param functions   the functions in template order, named by {@code FunctionName} or else their logical id;
 *                    reclaim mode ABANDON and the JVM's class path (change them with
 *                    {@link FunctionDefinition#toBuilder()})
 * @param routes      the HTTP API routes of the functions' {@code HttpApi} events
 * @param httpApiAccess what the HTTP API demands of callers on AWS (authorizer, throttling);
 *                      {@link HttpApiAccess#OPEN} when the template declares neither
 * @param codeUris      each function's {@code CodeUri} (its deployment package), by function name; resolved against
 *                      the template's folder by {@link #load(Path, Map)}, as written by
 *                      {@link #parse(String, Map, String, String)}
 */
public record SamTemplate(String description, Map<String, String> parameters, List<FunctionDefinition> functions,
                          List<HttpApiRoute> routes, HttpApiAccess httpApiAccess, Map<String, Path> codeUris) {

    /** Copies the collections. */
    public SamTemplate {
        Objects.requireNonNull(description, "description");
        parameters = Map.copyOf(parameters);
        functions = List.copyOf(functions);
        routes = List.copyOf(routes);
        Objects.requireNonNull(httpApiAccess, "httpApiAccess");
        codeUris = Map.copyOf(codeUris);
    }

    /**
     * Loads a template file with the platform's default region (us-east-1) and account (123456789012).
     *
     * @param parameterOverrides values for the template's parameters, like {@code sam deploy --parameter-overrides}
     * @throws TemplateException    when the template is invalid or uses an unsupported construct
     * @throws UncheckedIOException when the file cannot be read
     */
    public static SamTemplate load(Path file, Map<String, String> parameterOverrides) {
        return load(file, parameterOverrides, "us-east-1", "123456789012");
    }

    /**
     * Loads a template file.
     *
     * @param region    the value of {@code AWS::Region} and the region in ARNs
     * @param accountId the value of {@code AWS::AccountId} and the account in ARNs
     * @throws TemplateException    when the template is invalid or uses an unsupported construct
     * @throws UncheckedIOException when the file cannot be read
     */
    public static SamTemplate load(Path file, Map<String, String> parameterOverrides, String region, String accountId) {
        try {
            SamTemplate parsed = parse(Files.readString(file), parameterOverrides, region, accountId);
            Path folder = file.toAbsolutePath().getParent();
            Map<String, Path> resolved = new java.util.LinkedHashMap<>();
            parsed.codeUris().forEach((name, uri) -> resolved.put(name, folder.resolve(uri).normalize()));
            return new SamTemplate(parsed.description(), parsed.parameters(), parsed.functions(), parsed.routes(),
                    parsed.httpApiAccess(), resolved);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read template " + file, e);
        }
    }

    /**
     * Parses template text.
     *
     * @throws TemplateException when the template is invalid or uses an unsupported construct
     */
    public static SamTemplate parse(String yaml, Map<String, String> parameterOverrides, String region, String accountId) {
        return new SamTemplateReader(parameterOverrides, region, accountId).read(yaml);
    }

    /**
     * The function of that name.
     *
     * @throws IllegalArgumentException when the template has none
     */
    public FunctionDefinition function(String name) {
        return functions.stream().filter(function -> function.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("the template has no function named " + name));
    }

    /**
     * The deployment package a function's {@code CodeUri} names: what a process environment runs (give it as the
     * function's {@link FunctionDefinition#classPath() class path}).
     *
     * @throws IllegalArgumentException when the function has no {@code CodeUri}
     */
    public Path codeUri(String functionName) {
        Path codeUri = codeUris.get(functionName);
        if (codeUri == null) {
            throw new IllegalArgumentException("function " + functionName + " has no CodeUri in the template");
        }
        return codeUri;
    }

    /** Parameter values do not print: they often hold database URIs with credentials. */
    @Override
    public String toString() {
        return "SamTemplate[description=" + description + ", parameters=" + parameters.keySet() + ", functions="
                + functions.stream().map(FunctionDefinition::name).toList() + ", routes=" + routes + ", httpApiAccess="
                + httpApiAccess + "]";
    }
}
