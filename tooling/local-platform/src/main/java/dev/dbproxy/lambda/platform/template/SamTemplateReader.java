package dev.dbproxy.lambda.platform.template;

import dev.dbproxy.lambda.platform.FunctionDefinition;
import dev.dbproxy.lambda.platform.ManagedInstances;
import dev.dbproxy.lambda.platform.HttpApiAccess;
import dev.dbproxy.lambda.platform.HttpApiRoute;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.YAMLException;

/** Reads one SAM template; see {@link SamTemplate} for what is supported. Not thread-safe, used once. */
final class SamTemplateReader {

    private static final String SERVERLESS_TRANSFORM = "AWS::Serverless-2016-10-31";
    /** Resolves intrinsics before the SAM transform on AWS; this reader resolves them anyway: no local effect. */
    private static final String LANGUAGE_EXTENSIONS_TRANSFORM = "AWS::LanguageExtensions";
    private static final String FUNCTION_TYPE = "AWS::Serverless::Function";
    private static final String HTTP_API_TYPE = "AWS::Serverless::HttpApi";
    private static final String CAPACITY_PROVIDER_TYPE = "AWS::Serverless::CapacityProvider";
    /** What {@code Ref AWS::NoValue} resolves to: the property, list item or branch is absent. */
    private static final Object NO_VALUE = new Object();
    /** The logical id SAM gives the HTTP API it creates for events that name no {@code ApiId}. */
    private static final String IMPLICIT_HTTP_API = "ServerlessHttpApi";
    private static final Set<String> SECTIONS = Set.of("AWSTemplateFormatVersion", "Transform", "Description",
            "Parameters", "Conditions", "Globals", "Resources", "Outputs", "Metadata");
    private static final Set<String> FUNCTION_PROPERTIES = Set.of("Handler", "Runtime", "MemorySize", "Timeout",
            "Environment", "ReservedConcurrentExecutions", "FunctionName", "Events",
            "CodeUri", "Architectures", "Description", "Policies", "Role", "Tags", "Tracing", "PackageType",
            "CapacityProviderConfig", "FunctionScalingConfig", "SnapStart", "AutoPublishAlias");
    private static final Set<String> CAPACITY_PROVIDER_PROPERTIES = Set.of("CapacityProviderName", "VpcConfig",
            "OperatorRole", "Tags", "PropagateTags", "InstanceRequirements", "ScalingConfig", "KmsKeyArn");
    private static final Set<String> CAPACITY_PROVIDER_CONFIG_PROPERTIES = Set.of("Arn",
            "PerExecutionEnvironmentMaxConcurrency", "ExecutionEnvironmentMemoryGiBPerVCpu");
    private static final Set<String> FUNCTION_SCALING_PROPERTIES =
            Set.of("MinExecutionEnvironments", "MaxExecutionEnvironments");
    /** AutoPublishAlias is accepted without local effect: there is one version here, and every alias names it. */
    private static final Set<String> GLOBAL_FUNCTION_PROPERTIES = Set.of("Handler", "Runtime", "MemorySize", "Timeout",
            "Environment", "ReservedConcurrentExecutions", "CodeUri", "Architectures", "Description", "Tags", "Tracing",
            "SnapStart", "AutoPublishAlias");
    private static final Set<String> RESOURCE_KEYS = Set.of("Type", "Properties", "Metadata", "DependsOn", "Condition");
    private static final Set<String> PARAMETER_TYPES = Set.of("String", "Number", "CommaDelimitedList");
    private static final Set<String> PARAMETER_KEYS = Set.of("Type", "Default", "Description", "AllowedValues",
            "AllowedPattern", "NoEcho", "MinLength", "MaxLength", "MinValue", "MaxValue", "ConstraintDescription");
    private static final Set<String> HTTP_API_EVENT_PROPERTIES =
            Set.of("Path", "Method", "PayloadFormatVersion", "ApiId");
    private static final Set<String> HTTP_API_PROPERTIES = Set.of("Auth", "DefaultRouteSettings", "StageName",
            "Description", "Tags", "FailOnWarnings");
    private static final Set<String> GLOBAL_HTTP_API_PROPERTIES = Set.of("Auth", "DefaultRouteSettings", "Tags",
            "FailOnWarnings");
    private static final Set<String> HTTP_API_AUTH_PROPERTIES =
            Set.of("EnableIamAuthorizer", "DefaultAuthorizer", "Authorizers");
    private static final Set<String> JWT_AUTHORIZER_PROPERTIES =
            Set.of("AuthorizationScopes", "IdentitySource", "JwtConfiguration");
    private static final Set<String> ROUTE_SETTINGS_PROPERTIES = Set.of("ThrottlingBurstLimit", "ThrottlingRateLimit",
            "DataTraceEnabled", "DetailedMetricsEnabled", "LoggingLevel");
    private static final String IAM_AUTHORIZER = "AWS_IAM";
    private static final Set<String> SNAP_START_PROPERTIES = Set.of("ApplyOn");
    private static final Set<String> SNAP_START_APPLY_ON = Set.of("None", "PublishedVersions");
    private static final Set<String> HTTP_METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "ANY");
    private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{([^}]*)}");

    private final Map<String, String> overrides;
    private final String region;
    private final String accountId;
    private final Map<String, String> parameters = new LinkedHashMap<>();
    /** Function logical id to function name. */
    private final Map<String, String> functionNames = new LinkedHashMap<>();
    private final Map<String, java.nio.file.Path> codeUris = new LinkedHashMap<>();
    private final Set<String> resourceIds = new java.util.HashSet<>();
    /** Logical ids of the template's {@code AWS::Serverless::HttpApi} resources. */
    private final Set<String> httpApiIds = new LinkedHashSet<>();
    /** The HTTP APIs the events route to: {@code ApiId}s, or the implicit API. */
    private final Set<String> routedHttpApis = new LinkedHashSet<>();
    private Map<String, Object> httpApiGlobals = Map.of();
    private final Map<String, String> parameterTypes = new LinkedHashMap<>();
    private Map<String, Object> conditionDefinitions = Map.of();
    private final Map<String, Boolean> conditions = new LinkedHashMap<>();
    private final Set<String> evaluatingConditions = new LinkedHashSet<>();
    /** Capacity provider ARN to what the functions on it need of it. */
    private final Map<String, CapacityProvider> capacityProviders = new LinkedHashMap<>();
    /** Capacity provider logical id to its ARN. */
    private final Map<String, String> capacityProviderArns = new LinkedHashMap<>();

    /** What a function on a capacity provider takes from it. */
    private record CapacityProvider(String name, int maxVCpuCount, double targetUtilization) {
    }
    private static final String STACK_NAME = "local";

    SamTemplateReader(Map<String, String> overrides, String region, String accountId) {
        this.overrides = Map.copyOf(overrides);
        this.region = region;
        this.accountId = accountId;
    }

    SamTemplate read(String yaml) {
        Map<String, Object> root = parseYaml(yaml);
        for (String section : root.keySet()) {
            if (!SECTIONS.contains(section)) {
                throw new TemplateException("unsupported template section " + section + " (supported: " + SECTIONS + ")");
            }
        }
        checkTransform(root.get("Transform"));
        readParameters(map(root.getOrDefault("Parameters", Map.of()), "Parameters"));
        conditionDefinitions = map(root.getOrDefault("Conditions", Map.of()), "Conditions");
        conditionDefinitions.keySet().forEach(name -> condition(name, "Conditions." + name));
        Map<String, Object> globals = readGlobals(map(root.getOrDefault("Globals", Map.of()), "Globals"));
        Map<String, Object> declared = map(root.get("Resources"), "Resources");
        if (declared.isEmpty()) {
            throw new TemplateException("the template has no Resources");
        }
        resourceIds.addAll(declared.keySet());
        Map<String, Object> resources = new LinkedHashMap<>();
        for (Map.Entry<String, Object> resource : declared.entrySet()) {
            Map<String, Object> body = map(resource.getValue(), "Resources." + resource.getKey());
            checkResource(resource.getKey(), body);
            if (created(resource.getKey(), body)) {
                resources.put(resource.getKey(), body);
            } else {
                httpApiIds.remove(resource.getKey());
            }
        }
        for (Map.Entry<String, Object> resource : resources.entrySet()) {
            if (CAPACITY_PROVIDER_TYPE.equals(map(resource.getValue(), "Resources").get("Type"))) {
                readCapacityProvider(resource.getKey(), map(resource.getValue(), "Resources." + resource.getKey()));
            }
        }
        for (Map.Entry<String, Object> resource : resources.entrySet()) {
            if (httpApiIds.contains(resource.getKey()) || capacityProviderArns.containsKey(resource.getKey())) {
                continue;
            }
            String where = "Resources." + resource.getKey() + ".Properties";
            Map<String, Object> properties = map(map(resource.getValue(), where).getOrDefault("Properties", Map.of()), where);
            Object functionName = properties.get("FunctionName");
            functionNames.put(resource.getKey(), functionName == null ? resource.getKey() : scalar(resolve(functionName, where + ".FunctionName"), where + ".FunctionName"));
        }
        List<FunctionDefinition> functions = new ArrayList<>();
        List<HttpApiRoute> routes = new ArrayList<>();
        for (Map.Entry<String, Object> resource : resources.entrySet()) {
            if (functionNames.containsKey(resource.getKey())) {
                readFunction(resource.getKey(), map(resource.getValue(), "Resources." + resource.getKey()), globals,
                        functions, routes);
            }
        }
        HttpApiAccess access = httpApiAccess(resources);
        String description = root.get("Description") == null ? "" : String.valueOf(root.get("Description"));
        return new SamTemplate(description, parameters, functions, routes, access, codeUris);
    }

    /**
     * What the template's one HTTP API demands of callers. The local gateway serves one route table, so a template
     * with two HTTP APIs (two resources, or one resource and events that name no {@code ApiId}) is refused.
     */
    private HttpApiAccess httpApiAccess(Map<String, Object> resources) {
        Set<String> apis = new LinkedHashSet<>(httpApiIds);
        apis.addAll(routedHttpApis);
        if (apis.size() > 1) {
            throw new TemplateException("the template has " + apis.size() + " HTTP APIs " + apis
                    + " (supported: one; give every HttpApi event the same ApiId, or none)");
        }
        if (apis.isEmpty()) {
            return HttpApiAccess.OPEN;
        }
        String api = apis.iterator().next();
        if (api.equals(IMPLICIT_HTTP_API)) {
            return access(httpApiGlobals, "Globals.HttpApi");
        }
        String where = "Resources." + api + ".Properties";
        Map<String, Object> properties =
                map(map(resources.get(api), "Resources." + api).getOrDefault("Properties", Map.of()), where);
        Object stage = properties.get("StageName");
        if (stage != null && !"$default".equals(scalar(resolve(stage, where + ".StageName"), where + ".StageName"))) {
            throw new TemplateException("unsupported StageName " + stage + " at " + where
                    + " (supported: $default, which serves the routes at the root)");
        }
        return access(mergeGlobals(httpApiGlobals, properties), where);
    }

    /** SAM's merge of Globals into a resource: mappings merge key by key, for anything else the resource's wins. */
    private static Map<String, Object> mergeGlobals(Map<String, Object> globals, Map<String, Object> properties) {
        Map<String, Object> merged = new LinkedHashMap<>(globals);
        properties.forEach((key, value) -> {
            if (value instanceof Map<?, ?> && merged.get(key) instanceof Map<?, ?>) {
                merged.put(key, mergeGlobals(map(merged.get(key), key), map(value, key)));
            } else {
                merged.put(key, value);
            }
        });
        return merged;
    }

    private HttpApiAccess access(Map<String, Object> api, String where) {
        String authorizer = defaultAuthorizer(api, where);
        String type = authorizer.equals(HttpApiAccess.NONE) || authorizer.equals(IAM_AUTHORIZER) ? authorizer : "JWT";
        return new HttpApiAccess(authorizer, type, throttling(api, where));
    }

    private String defaultAuthorizer(Map<String, Object> api, String where) {
        if (!api.containsKey("Auth")) {
            return HttpApiAccess.NONE;
        }
        Map<String, Object> auth = map(api.get("Auth"), where + ".Auth");
        checkKeys(auth, HTTP_API_AUTH_PROPERTIES, where + ".Auth");
        Map<String, Object> authorizers = map(auth.getOrDefault("Authorizers", Map.of()), where + ".Auth.Authorizers");
        authorizers.forEach((name, authorizer) -> checkJwtAuthorizer(
                map(authorizer, where + ".Auth.Authorizers." + name), where + ".Auth.Authorizers." + name));
        if (!auth.containsKey("DefaultAuthorizer")) {
            return HttpApiAccess.NONE;
        }
        String chosenWhere = where + ".Auth.DefaultAuthorizer";
        String chosen = scalar(resolve(auth.get("DefaultAuthorizer"), chosenWhere), chosenWhere);
        if (chosen.equals(IAM_AUTHORIZER)) {
            Object enabled = auth.get("EnableIamAuthorizer");
            String enabledWhere = where + ".Auth.EnableIamAuthorizer";
            if (enabled == null || !Boolean.parseBoolean(scalar(resolve(enabled, enabledWhere), enabledWhere))) {
                throw new TemplateException("DefaultAuthorizer AWS_IAM at " + where
                        + ".Auth needs EnableIamAuthorizer: true");
            }
        } else if (!authorizers.containsKey(chosen)) {
            throw new TemplateException("DefaultAuthorizer " + chosen + " at " + where
                    + ".Auth names no authorizer (Authorizers: " + authorizers.keySet() + (auth.containsKey("EnableIamAuthorizer") ? ", and AWS_IAM" : "") + ")");
        }
        return chosen;
    }

    /** Only JWT (OAuth 2.0) authorizers: a Lambda authorizer would need a function the gateway does not call. */
    private void checkJwtAuthorizer(Map<String, Object> authorizer, String where) {
        checkKeys(authorizer, JWT_AUTHORIZER_PROPERTIES, where + " (supported: JWT authorizers)");
        Map<String, Object> jwt = map(authorizer.get("JwtConfiguration"), where + ".JwtConfiguration");
        Map<String, Object> lowerCase = new LinkedHashMap<>();
        jwt.forEach((key, value) -> lowerCase.put(key.toLowerCase(java.util.Locale.ROOT), value));
        checkKeys(lowerCase, Set.of("issuer", "audience"), where + ".JwtConfiguration");
        if (!lowerCase.containsKey("issuer") || !lowerCase.containsKey("audience")) {
            throw new TemplateException(where + ".JwtConfiguration needs an issuer and an audience");
        }
        String issuerWhere = where + ".JwtConfiguration.issuer";
        scalar(resolve(lowerCase.get("issuer"), issuerWhere), issuerWhere);
        resolve(lowerCase.get("audience"), where + ".JwtConfiguration.audience");
    }

    private String throttling(Map<String, Object> api, String where) {
        if (!api.containsKey("DefaultRouteSettings")) {
            return HttpApiAccess.NONE;
        }
        String settingsWhere = where + ".DefaultRouteSettings";
        Map<String, Object> settings = map(api.get("DefaultRouteSettings"), settingsWhere);
        checkKeys(settings, ROUTE_SETTINGS_PROPERTIES, settingsWhere);
        List<String> limits = new ArrayList<>();
        if (settings.containsKey("ThrottlingBurstLimit")) {
            limits.add("burst " + integer(resolve(settings.get("ThrottlingBurstLimit"), settingsWhere),
                    settingsWhere + ".ThrottlingBurstLimit"));
        }
        if (settings.containsKey("ThrottlingRateLimit")) {
            String rate = scalar(resolve(settings.get("ThrottlingRateLimit"), settingsWhere), settingsWhere);
            limits.add("rate " + number(rate, settingsWhere + ".ThrottlingRateLimit").stripTrailingZeros().toPlainString() + " requests/s");
        }
        return limits.isEmpty() ? HttpApiAccess.NONE : String.join(", ", limits) + " per route";
    }

    private static Map<String, Object> parseYaml(String yaml) {
        Object document;
        try {
            document = new Yaml(new CloudFormationYamlConstructor()).load(yaml);
        } catch (YAMLException e) {
            String message = e.getMessage() == null ? e.toString() : e.getMessage();
            if (message.contains("could not determine a constructor for the tag")) {
                throw new TemplateException("unsupported YAML tag in the template: " + message.strip(), e);
            }
            throw new TemplateException("the template is not valid YAML: " + message.strip(), e);
        }
        if (!(document instanceof Map<?, ?>)) {
            throw new TemplateException("the template must be a YAML mapping with Resources");
        }
        return map(document, "the template");
    }

    private static void checkTransform(Object transform) {
        if (transform == null) {
            throw new TemplateException("Transform must be " + SERVERLESS_TRANSFORM + " (this is a SAM template loader)");
        }
        List<?> transforms = transform instanceof List<?> list ? list : List.of(transform);
        for (Object each : transforms) {
            if (!SERVERLESS_TRANSFORM.equals(each) && !LANGUAGE_EXTENSIONS_TRANSFORM.equals(each)) {
                throw new TemplateException("unsupported Transform " + each + ": only " + LANGUAGE_EXTENSIONS_TRANSFORM
                        + " followed by " + SERVERLESS_TRANSFORM);
            }
        }
        if (!transforms.contains(SERVERLESS_TRANSFORM)) {
            throw new TemplateException("Transform must include " + SERVERLESS_TRANSFORM
                    + " (this is a SAM template loader)");
        }
        if (transforms.indexOf(LANGUAGE_EXTENSIONS_TRANSFORM) > transforms.indexOf(SERVERLESS_TRANSFORM)) {
            throw new TemplateException(LANGUAGE_EXTENSIONS_TRANSFORM + " must come before " + SERVERLESS_TRANSFORM
                    + " in Transform, so that it runs first");
        }
    }

    private void readParameters(Map<String, Object> declared) {
        for (String name : overrides.keySet()) {
            if (!declared.containsKey(name)) {
                throw new TemplateException("parameter override " + name + " names no parameter of the template (parameters: "
                        + declared.keySet() + ")");
            }
        }
        for (Map.Entry<String, Object> entry : declared.entrySet()) {
            String name = entry.getKey();
            String where = "Parameters." + name;
            Map<String, Object> parameter = map(entry.getValue(), where);
            checkKeys(parameter, PARAMETER_KEYS, where);
            String type = String.valueOf(parameter.get("Type"));
            if (!PARAMETER_TYPES.contains(type)) {
                throw new TemplateException("unsupported parameter Type " + type + " at " + where + " (supported: "
                        + PARAMETER_TYPES.stream().sorted().toList() + ")");
            }
            parameterTypes.put(name, type);
            String value = overrides.containsKey(name) ? overrides.get(name)
                    : parameter.containsKey("Default") ? String.valueOf(parameter.get("Default")) : null;
            if (value == null) {
                throw new TemplateException("parameter " + name + " has no Default and no override");
            }
            checkParameter(name, type, value, parameter);
            parameters.put(name, value);
        }
    }

    /** Constraint messages never show the value: parameters often hold credentials. */
    private static void checkParameter(String name, String type, String value, Map<String, Object> parameter) {
        if (parameter.get("AllowedValues") instanceof List<?> allowed
                && allowed.stream().map(String::valueOf).noneMatch(value::equals)) {
            throw new TemplateException("parameter " + name + " must be one of " + allowed);
        }
        if (parameter.get("AllowedPattern") != null && !Pattern.matches(String.valueOf(parameter.get("AllowedPattern")), value)) {
            throw new TemplateException("parameter " + name + " does not match its AllowedPattern " + parameter.get("AllowedPattern"));
        }
        if (parameter.get("MinLength") != null && value.length() < number(parameter.get("MinLength"), "Parameters." + name + ".MinLength").intValue()) {
            throw new TemplateException("parameter " + name + " is shorter than its MinLength " + parameter.get("MinLength"));
        }
        if (parameter.get("MaxLength") != null && value.length() > number(parameter.get("MaxLength"), "Parameters." + name + ".MaxLength").intValue()) {
            throw new TemplateException("parameter " + name + " is longer than its MaxLength " + parameter.get("MaxLength"));
        }
        if (type.equals("Number")) {
            BigDecimal number;
            try {
                number = new BigDecimal(value);
            } catch (NumberFormatException e) {
                throw new TemplateException("parameter " + name + " is of Type Number but its value is not a number", e);
            }
            if (parameter.get("MinValue") != null && number.compareTo(number(parameter.get("MinValue"), "Parameters." + name + ".MinValue")) < 0) {
                throw new TemplateException("parameter " + name + " is below its MinValue " + parameter.get("MinValue"));
            }
            if (parameter.get("MaxValue") != null && number.compareTo(number(parameter.get("MaxValue"), "Parameters." + name + ".MaxValue")) > 0) {
                throw new TemplateException("parameter " + name + " is above its MaxValue " + parameter.get("MaxValue"));
            }
        }
    }

    private static BigDecimal number(Object value, String where) {
        try {
            return new BigDecimal(String.valueOf(value));
        } catch (NumberFormatException e) {
            throw new TemplateException(where + " must be a number, was " + value, e);
        }
    }

    private Map<String, Object> readGlobals(Map<String, Object> globals) {
        for (String section : globals.keySet()) {
            if (!section.equals("Function") && !section.equals("HttpApi")) {
                throw new TemplateException("unsupported Globals section " + section + " (supported: Function, HttpApi)");
            }
        }
        Map<String, Object> httpApi = map(globals.getOrDefault("HttpApi", Map.of()), "Globals.HttpApi");
        if (httpApi.containsKey("StageName")) {
            throw new TemplateException("unsupported property StageName at Globals.HttpApi: the SAM transform refuses it"
                    + " (an HTTP API's $default stage serves the routes at the root; set StageName on an"
                    + " AWS::Serverless::HttpApi resource for another stage)");
        }
        checkKeys(httpApi, GLOBAL_HTTP_API_PROPERTIES, "Globals.HttpApi");
        httpApiGlobals = httpApi;
        Map<String, Object> function = map(globals.getOrDefault("Function", Map.of()), "Globals.Function");
        checkKeys(function, GLOBAL_FUNCTION_PROPERTIES, "Globals.Function");
        return function;
    }

    private void checkResource(String logicalId, Map<String, Object> resource) {
        String where = "Resources." + logicalId;
        checkKeys(resource, RESOURCE_KEYS, where);
        Object type = resource.get("Type");
        if (HTTP_API_TYPE.equals(type)) {
            checkKeys(map(resource.getOrDefault("Properties", Map.of()), where + ".Properties"), HTTP_API_PROPERTIES,
                    where + ".Properties");
            httpApiIds.add(logicalId);
            return;
        }
        if (CAPACITY_PROVIDER_TYPE.equals(type)) {
            checkKeys(map(resource.getOrDefault("Properties", Map.of()), where + ".Properties"),
                    CAPACITY_PROVIDER_PROPERTIES, where + ".Properties");
            return;
        }
        if (!FUNCTION_TYPE.equals(type)) {
            throw new TemplateException("unsupported resource type " + type + " at " + where + " (supported: "
                    + FUNCTION_TYPE + ", " + HTTP_API_TYPE + ", " + CAPACITY_PROVIDER_TYPE + ")");
        }
        checkKeys(map(resource.getOrDefault("Properties", Map.of()), where + ".Properties"), FUNCTION_PROPERTIES, where + ".Properties");
    }

    private void readFunction(String logicalId, Map<String, Object> resource, Map<String, Object> globals,
                              List<FunctionDefinition> functions, List<HttpApiRoute> routes) {
        String where = "Resources." + logicalId + ".Properties";
        Map<String, Object> properties = map(resource.getOrDefault("Properties", Map.of()), where);
        String name = functionNames.get(logicalId);
        Object packageType = properties.get("PackageType");
        if (packageType != null && !"Zip".equals(resolve(packageType, where + ".PackageType"))) {
            throw new TemplateException("unsupported PackageType " + packageType + " at " + where + " (supported: Zip)");
        }
        Object handler = optional(properties, globals, "Handler", where);
        if (handler == null) {
            throw new TemplateException(where + ".Handler is required");
        }
        Object runtime = optional(properties, globals, "Runtime", where);
        if (runtime == null) {
            throw new TemplateException(where + ".Runtime is required");
        }
        String runtimeName = scalar(resolve(runtime, where + ".Runtime"), where + ".Runtime");
        if (!runtimeName.startsWith("java")) {
            throw new TemplateException("unsupported Runtime " + runtimeName + " at " + where + ": the local platform runs Java handlers");
        }
        Object codeUri = optional(properties, globals, "CodeUri", where);
        if (codeUri != null) {
            codeUris.put(name, java.nio.file.Path.of(scalar(resolve(codeUri, where + ".CodeUri"), where + ".CodeUri")));
        }
        FunctionDefinition.Builder builder = FunctionDefinition.builder(name, scalar(resolve(handler, where + ".Handler"), where + ".Handler"))
                .runtime(runtimeName)
                .environment(environment(properties, globals, where));
        Object memory = optional(properties, globals, "MemorySize", where);
        if (memory != null) {
            builder.memoryMb(integer(resolve(memory, where + ".MemorySize"), where + ".MemorySize"));
        }
        Object timeout = optional(properties, globals, "Timeout", where);
        if (timeout != null) {
            builder.timeout(Duration.ofSeconds(integer(resolve(timeout, where + ".Timeout"), where + ".Timeout")));
        }
        Object reserved = optional(properties, globals, "ReservedConcurrentExecutions", where);
        if (reserved != null) {
            builder.reservedConcurrency(integer(resolve(reserved, where + ".ReservedConcurrentExecutions"), where + ".ReservedConcurrentExecutions"));
        }
        Object snapStart = optional(properties, globals, "SnapStart", where);
        if (snapStart != null) {
            builder.snapStart(snapStart(snapStart, where + ".SnapStart"));
        }
        Object capacityProviderConfig = optional(properties, Map.of(), "CapacityProviderConfig", where);
        if (capacityProviderConfig != null) {
            builder.compute(managedInstances(capacityProviderConfig,
                    optional(properties, Map.of(), "FunctionScalingConfig", where), where));
        } else if (optional(properties, Map.of(), "FunctionScalingConfig", where) != null) {
            throw new TemplateException(where + ".FunctionScalingConfig needs a CapacityProviderConfig (it scales"
                    + " managed-instances environments)");
        }
        try {
            functions.add(builder.build());
        } catch (IllegalArgumentException e) {
            throw new TemplateException("invalid function " + logicalId + ": " + e.getMessage(), e);
        }
        Map<String, Object> events = map(properties.getOrDefault("Events", Map.of()), where + ".Events");
        for (Map.Entry<String, Object> event : events.entrySet()) {
            routes.add(route(name, event.getKey(), map(event.getValue(), where + ".Events." + event.getKey()), where + ".Events." + event.getKey()));
        }
    }

    private static Object property(Map<String, Object> properties, Map<String, Object> globals, String name) {
        return properties.containsKey(name) ? properties.get(name) : globals.get(name);
    }

    /** A property after evaluating its intrinsic functions; null when absent or {@code AWS::NoValue}. */
    private Object optional(Map<String, Object> properties, Map<String, Object> globals, String name, String where) {
        Object raw = property(properties, globals, name);
        if (raw == null) {
            return null;
        }
        Object resolved = resolve(raw, where + "." + name);
        return resolved == NO_VALUE ? null : resolved;
    }

    /** Whether a resource exists with these parameters: it has no {@code Condition}, or a true one. */
    private boolean created(String logicalId, Map<String, Object> resource) {
        Object condition = resource.get("Condition");
        return condition == null || condition(scalar(condition, "Resources." + logicalId + ".Condition"),
                "Resources." + logicalId + ".Condition");
    }

    /** Evaluates a named condition of the {@code Conditions} section (once; a cycle is an error). */
    private boolean condition(String name, String where) {
        Boolean known = conditions.get(name);
        if (known != null) {
            return known;
        }
        if (!conditionDefinitions.containsKey(name)) {
            throw new TemplateException("condition " + name + " at " + where + " is not declared in Conditions"
                    + " (conditions: " + conditionDefinitions.keySet() + ")");
        }
        if (!evaluatingConditions.add(name)) {
            throw new TemplateException("condition " + name + " refers to itself");
        }
        boolean value = conditionValue(conditionDefinitions.get(name), "Conditions." + name);
        evaluatingConditions.remove(name);
        conditions.put(name, value);
        return value;
    }

    /** {@code Fn::Equals}, {@code Fn::Not}, {@code Fn::And}, {@code Fn::Or} and {@code Condition}. */
    private boolean conditionValue(Object expression, String where) {
        if (expression instanceof Map<?, ?> function && function.size() == 1) {
            String key = String.valueOf(function.keySet().iterator().next());
            Object argument = function.values().iterator().next();
            switch (key) {
                case "Condition" -> {
                    return condition(scalar(argument, where + ".Condition"), where);
                }
                case "Fn::Equals" -> {
                    List<?> operands = operands(argument, 2, 2, key, where);
                    return scalarOrList(resolve(operands.get(0), where + "[0]"), where)
                            .equals(scalarOrList(resolve(operands.get(1), where + "[1]"), where));
                }
                case "Fn::Not" -> {
                    return !conditionValue(operands(argument, 1, 1, key, where).get(0), where + ".Fn::Not[0]");
                }
                case "Fn::And", "Fn::Or" -> {
                    List<?> operands = operands(argument, 2, 10, key, where);
                    boolean and = key.equals("Fn::And");
                    for (int i = 0; i < operands.size(); i++) {
                        if (conditionValue(operands.get(i), where + "." + key + "[" + i + "]") != and) {
                            return !and;
                        }
                    }
                    return and;
                }
                default -> {
                }
            }
        }
        throw new TemplateException("unsupported condition at " + where
                + " (supported: Fn::Equals, Fn::Not, Fn::And, Fn::Or, Condition)");
    }

    private static List<?> operands(Object argument, int least, int most, String function, String where) {
        if (!(argument instanceof List<?> list) || list.size() < least || list.size() > most) {
            throw new TemplateException(function + " at " + where + " takes " + (least == most ? least : least + " to " + most)
                    + " operands in a list");
        }
        return list;
    }

    private static String scalarOrList(Object value, String where) {
        return value instanceof List<?> list ? String.join(",", list.stream().map(String::valueOf).toList())
                : scalar(value, where);
    }

    /**
     * Reads an {@code AWS::Serverless::CapacityProvider}: its {@code ScalingConfig} bounds the vCPUs of the
     * environments of its functions ({@code MaxVCpuCount}, required here) and sets their scale-out target
     * ({@code AverageCPUUtilization}); {@code VpcConfig} (required, with {@code SubnetIds}), {@code InstanceRequirements},
     * {@code OperatorRole}, {@code Tags}, {@code KmsKeyArn} have no local effect.
     */
    private void readCapacityProvider(String logicalId, Map<String, Object> resource) {
        String where = "Resources." + logicalId + ".Properties";
        Map<String, Object> properties = map(resolve(resource.getOrDefault("Properties", Map.of()), where), where);
        Map<String, Object> vpc = map(properties.get("VpcConfig"), where + ".VpcConfig");
        checkKeys(vpc, Set.of("SubnetIds", "SecurityGroupIds"), where + ".VpcConfig");
        if (!(vpc.get("SubnetIds") instanceof List<?>)) {
            throw new TemplateException(where + ".VpcConfig.SubnetIds is required: the subnets AWS starts the"
                    + " instances in");
        }
        if (properties.containsKey("InstanceRequirements")) {
            checkKeys(map(properties.get("InstanceRequirements"), where + ".InstanceRequirements"),
                    Set.of("Architectures", "AllowedTypes", "ExcludedTypes"), where + ".InstanceRequirements");
        }
        Map<String, Object> scaling = map(properties.get("ScalingConfig"), where + ".ScalingConfig (with"
                + " MaxVCpuCount, which bounds the environments here)");
        checkKeys(scaling, Set.of("MaxVCpuCount", "AverageCPUUtilization"), where + ".ScalingConfig");
        if (!scaling.containsKey("MaxVCpuCount")) {
            throw new TemplateException(where + ".ScalingConfig.MaxVCpuCount is required here: it bounds the"
                    + " environments of the capacity provider's functions");
        }
        int maxVCpuCount = integer(scaling.get("MaxVCpuCount"), where + ".ScalingConfig.MaxVCpuCount");
        double target = 0.5;
        if (scaling.containsKey("AverageCPUUtilization")) {
            target = number(scalar(scaling.get("AverageCPUUtilization"), where), where + ".ScalingConfig.AverageCPUUtilization")
                    .doubleValue() / 100;
        }
        String name = properties.containsKey("CapacityProviderName")
                ? scalar(properties.get("CapacityProviderName"), where + ".CapacityProviderName") : logicalId;
        String arn = "arn:aws:lambda:" + region + ":" + accountId + ":capacity-provider:" + name;
        capacityProviders.put(arn, new CapacityProvider(name, maxVCpuCount, target));
        capacityProviderArns.put(logicalId, arn);
    }

    /** Whether a function's {@code SnapStart} ({@code ApplyOn: None | PublishedVersions}) turns SnapStart on. */
    private boolean snapStart(Object snapStart, String where) {
        Map<String, Object> properties = map(snapStart, where);
        checkKeys(properties, SNAP_START_PROPERTIES, where);
        Object applyOn = properties.get("ApplyOn");
        if (applyOn == null) {
            throw new TemplateException(where + ".ApplyOn is required (None or PublishedVersions)");
        }
        String value = scalar(resolve(applyOn, where + ".ApplyOn"), where + ".ApplyOn");
        if (!SNAP_START_APPLY_ON.contains(value)) {
            throw new TemplateException("unsupported " + where + ".ApplyOn " + value + " (supported: None, PublishedVersions)");
        }
        return value.equals("PublishedVersions");
    }

    /** A function's {@code CapacityProviderConfig} and {@code FunctionScalingConfig}, as {@link ManagedInstances}. */
    private ManagedInstances managedInstances(Object config, Object scalingConfig, String where) {
        String configWhere = where + ".CapacityProviderConfig";
        Map<String, Object> properties = map(config, configWhere);
        checkKeys(properties, CAPACITY_PROVIDER_CONFIG_PROPERTIES, configWhere);
        if (!properties.containsKey("Arn")) {
            throw new TemplateException(configWhere + ".Arn is required (for example !GetAtt MyCapacityProvider.Arn)");
        }
        String arn = scalar(properties.get("Arn"), configWhere + ".Arn");
        CapacityProvider provider = capacityProviders.get(arn);
        if (provider == null) {
            throw new TemplateException(configWhere + ".Arn names no " + CAPACITY_PROVIDER_TYPE
                    + " of the template (its Fn::GetAtt ... .Arn)");
        }
        ManagedInstances.Builder settings = ManagedInstances.builder(provider.name(), provider.maxVCpuCount())
                .targetUtilization(provider.targetUtilization());
        if (properties.containsKey("PerExecutionEnvironmentMaxConcurrency")) {
            settings.perEnvironmentMaxConcurrency(integer(properties.get("PerExecutionEnvironmentMaxConcurrency"),
                    configWhere + ".PerExecutionEnvironmentMaxConcurrency"));
        }
        if (properties.containsKey("ExecutionEnvironmentMemoryGiBPerVCpu")) {
            settings.memoryGiBPerVCpu(number(scalar(properties.get("ExecutionEnvironmentMemoryGiBPerVCpu"), configWhere),
                    configWhere + ".ExecutionEnvironmentMemoryGiBPerVCpu").doubleValue());
        }
        if (scalingConfig != null) {
            String scalingWhere = where + ".FunctionScalingConfig";
            Map<String, Object> scaling = map(scalingConfig, scalingWhere);
            checkKeys(scaling, FUNCTION_SCALING_PROPERTIES, scalingWhere);
            if (scaling.containsKey("MinExecutionEnvironments")) {
                settings.minEnvironments(integer(scaling.get("MinExecutionEnvironments"),
                        scalingWhere + ".MinExecutionEnvironments"));
            }
            if (scaling.containsKey("MaxExecutionEnvironments")) {
                settings.maxEnvironments(integer(scaling.get("MaxExecutionEnvironments"),
                        scalingWhere + ".MaxExecutionEnvironments"));
            }
        }
        try {
            return settings.build();
        } catch (IllegalArgumentException e) {
            throw new TemplateException("invalid managed-instances configuration at " + where + ": " + e.getMessage(), e);
        }
    }

    private Map<String, String> environment(Map<String, Object> properties, Map<String, Object> globals, String where) {
        Map<String, String> variables = new LinkedHashMap<>();
        variables.putAll(variables(globals.get("Environment"), "Globals.Function.Environment"));
        variables.putAll(variables(properties.get("Environment"), where + ".Environment"));
        return variables;
    }

    private Map<String, String> variables(Object environment, String where) {
        if (environment == null) {
            return Map.of();
        }
        Map<String, Object> section = map(environment, where);
        checkKeys(section, Set.of("Variables"), where);
        Map<String, String> variables = new LinkedHashMap<>();
        map(section.getOrDefault("Variables", Map.of()), where + ".Variables").forEach((name, value) -> {
            Object resolved = resolve(value, where + ".Variables." + name);
            if (resolved != NO_VALUE) {
                variables.put(name, scalar(resolved, where + ".Variables." + name));
            }
        });
        return variables;
    }

    private HttpApiRoute route(String functionName, String eventName, Map<String, Object> event, String where) {
        checkKeys(event, Set.of("Type", "Properties"), where);
        if (!"HttpApi".equals(event.get("Type"))) {
            throw new TemplateException("unsupported event Type " + event.get("Type") + " at " + where + " (supported: HttpApi)");
        }
        Map<String, Object> properties = map(event.getOrDefault("Properties", Map.of()), where + ".Properties");
        checkKeys(properties, HTTP_API_EVENT_PROPERTIES, where + ".Properties");
        routedHttpApis.add(properties.containsKey("ApiId") ? apiId(properties.get("ApiId"), where + ".Properties.ApiId")
                : IMPLICIT_HTTP_API);
        Object format = properties.get("PayloadFormatVersion");
        if (format != null && !"2.0".equals(scalar(resolve(format, where), where))) {
            throw new TemplateException("unsupported PayloadFormatVersion " + format + " at " + where + " (supported: \"2.0\")");
        }
        if (!properties.containsKey("Path") && !properties.containsKey("Method")) {
            return new HttpApiRoute("ANY", HttpApiRoute.DEFAULT_ROUTE, functionName);
        }
        if (!properties.containsKey("Path") || !properties.containsKey("Method")) {
            throw new TemplateException(where + ".Properties needs both Path and Method (or neither, for the $default route)");
        }
        String method = scalar(resolve(properties.get("Method"), where + ".Properties.Method"), where).toUpperCase(java.util.Locale.ROOT);
        if (!HTTP_METHODS.contains(method)) {
            throw new TemplateException("unsupported Method " + method + " at " + where + ".Properties (supported: " + HTTP_METHODS + ")");
        }
        String path = scalar(resolve(properties.get("Path"), where + ".Properties.Path"), where);
        try {
            return new HttpApiRoute(method, path, functionName);
        } catch (IllegalArgumentException e) {
            throw new TemplateException(e.getMessage() + " at " + where + ".Properties.Path (event " + eventName + ")", e);
        }
    }

    /** An event's {@code ApiId}: as for SAM, a {@code Ref} to an {@code AWS::Serverless::HttpApi} of the template. */
    private String apiId(Object apiId, String where) {
        if (apiId instanceof Map<?, ?> ref && ref.size() == 1 && ref.get("Ref") instanceof String name
                && httpApiIds.contains(name)) {
            return name;
        }
        throw new TemplateException(where + " must be a Ref to an " + HTTP_API_TYPE + " of the template (HTTP APIs: "
                + httpApiIds + ")");
    }

    /** Evaluates the intrinsic functions in a value. */
    private Object resolve(Object value, String where) {
        if (value instanceof Map<?, ?> mapValue) {
            if (mapValue.size() == 1) {
                String key = String.valueOf(mapValue.keySet().iterator().next());
                Object argument = mapValue.values().iterator().next();
                if (key.equals("Ref")) {
                    return refValue(scalar(argument, where + ".Ref"), where);
                }
                if (key.equals("Fn::If")) {
                    if (!(argument instanceof List<?> branches) || branches.size() != 3) {
                        throw new TemplateException("Fn::If at " + where + " must be [condition, value if true, value if false]");
                    }
                    String condition = scalar(branches.get(0), where + ".Fn::If[0]");
                    return condition(condition, where + ".Fn::If[0]")
                            ? resolve(branches.get(1), where + ".Fn::If[1]") : resolve(branches.get(2), where + ".Fn::If[2]");
                }
                if (key.equals("Fn::Sub")) {
                    return sub(argument, where);
                }
                if (key.equals("Fn::GetAtt")) {
                    return getAtt(argument, where);
                }
                if (key.startsWith("Fn::") || key.equals("Condition")) {
                    throw new TemplateException("unsupported intrinsic function " + key + " at " + where
                            + " (supported: Ref, Fn::Sub, Fn::GetAtt, Fn::If)");
                }
            }
            Map<String, Object> resolved = new LinkedHashMap<>();
            mapValue.forEach((k, v) -> {
                Object entry = resolve(v, where + "." + k);
                if (entry != NO_VALUE) {
                    resolved.put(String.valueOf(k), entry);
                }
            });
            return resolved;
        }
        if (value instanceof List<?> list) {
            List<Object> resolved = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                Object item = resolve(list.get(i), where + "[" + i + "]");
                if (item != NO_VALUE) {
                    resolved.add(item);
                }
            }
            return resolved;
        }
        return value;
    }

    /** A {@code Ref}: a CommaDelimitedList parameter is a list, AWS::NoValue is {@link #NO_VALUE}. */
    private Object refValue(String name, String where) {
        if (name.equals("AWS::NoValue")) {
            return NO_VALUE;
        }
        if ("CommaDelimitedList".equals(parameterTypes.get(name))) {
            String value = parameters.get(name);
            return value.isEmpty() ? List.of() : List.of(value.split(",", -1)).stream().map(String::strip).toList();
        }
        if (capacityProviderArns.containsKey(name)) {
            return capacityProviders.get(capacityProviderArns.get(name)).name();
        }
        return ref(name, where);
    }

    private String ref(String name, String where) {
        if (parameters.containsKey(name)) {
            return parameters.get(name);
        }
        String pseudo = pseudoParameter(name);
        if (pseudo != null) {
            return pseudo;
        }
        if (functionNames.containsKey(name)) {
            return functionNames.get(name);
        }
        throw new TemplateException("Ref to " + name + " at " + where + " names no parameter, pseudo parameter or function"
                + (resourceIds.contains(name) ? " whose name is known yet (FunctionName may not refer to other functions)" : ""));
    }

    private String pseudoParameter(String name) {
        return switch (name) {
            case "AWS::Region" -> region;
            case "AWS::AccountId" -> accountId;
            case "AWS::StackName" -> STACK_NAME;
            case "AWS::StackId" -> "arn:aws:cloudformation:" + region + ":" + accountId + ":stack/" + STACK_NAME + "/local";
            case "AWS::Partition" -> "aws";
            case "AWS::URLSuffix" -> "amazonaws.com";
            default -> null;
        };
    }

    private String getAtt(Object argument, String where) {
        List<String> parts;
        if (argument instanceof List<?> list && list.size() == 2) {
            parts = List.of(scalar(list.get(0), where), scalar(resolve(list.get(1), where), where));
        } else if (argument instanceof String text && text.contains(".")) {
            parts = List.of(text.substring(0, text.indexOf('.')), text.substring(text.indexOf('.') + 1));
        } else {
            throw new TemplateException("Fn::GetAtt at " + where + " must be Resource.Attribute or [Resource, Attribute]");
        }
        return attribute(parts.get(0), parts.get(1), where);
    }

    private String attribute(String logicalId, String attribute, String where) {
        if (capacityProviderArns.containsKey(logicalId) && attribute.equals("Arn")) {
            return capacityProviderArns.get(logicalId);
        }
        if (resourceIds.contains(logicalId) && !functionNames.containsKey(logicalId)
                && !capacityProviderArns.containsKey(logicalId) && !httpApiIds.contains(logicalId)) {
            throw new TemplateException("Fn::GetAtt at " + where + " names " + logicalId
                    + ", which its Condition leaves out with these parameters (refer to it under Fn::If)");
        }
        if (!functionNames.containsKey(logicalId)) {
            throw new TemplateException("Fn::GetAtt at " + where + " names " + logicalId + ", which is no function of the template");
        }
        if (!attribute.equals("Arn")) {
            throw new TemplateException("unsupported attribute " + logicalId + "." + attribute + " at " + where
                    + " (supported: Arn; use Ref for the function's name)");
        }
        return "arn:aws:lambda:" + region + ":" + accountId + ":function:" + functionNames.get(logicalId);
    }

    private String sub(Object argument, String where) {
        String text;
        Map<String, Object> variables = Map.of();
        if (argument instanceof List<?> list && list.size() == 2) {
            text = scalar(list.get(0), where + ".Fn::Sub[0]");
            variables = map(resolve(list.get(1), where + ".Fn::Sub[1]"), where + ".Fn::Sub[1]");
        } else {
            text = scalar(argument, where + ".Fn::Sub");
        }
        Matcher matcher = SUB_VARIABLE.matcher(text);
        StringBuilder result = new StringBuilder();
        while (matcher.find()) {
            String variable = matcher.group(1).strip();
            String replacement;
            if (variable.startsWith("!")) {
                replacement = "${" + variable.substring(1) + "}";
            } else if (variables.containsKey(variable)) {
                replacement = scalar(variables.get(variable), where + ".Fn::Sub." + variable);
            } else if (variable.contains(".") && !variable.startsWith("AWS::")) {
                replacement = attribute(variable.substring(0, variable.indexOf('.')), variable.substring(variable.indexOf('.') + 1), where);
            } else {
                replacement = ref(variable, where);
            }
            matcher.appendReplacement(result, Matcher.quoteReplacement(replacement));
        }
        matcher.appendTail(result);
        return result.toString();
    }

    private static void checkKeys(Map<String, Object> map, Set<String> allowed, String where) {
        for (String key : map.keySet()) {
            if (!allowed.contains(key)) {
                throw new TemplateException("unsupported property " + key + " at " + where + " (supported: "
                        + allowed.stream().sorted().toList() + ")");
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value, String where) {
        if (value == null) {
            throw new TemplateException(where + " is missing");
        }
        if (!(value instanceof Map<?, ?> mapValue)) {
            throw new TemplateException(where + " must be a mapping");
        }
        for (Object key : mapValue.keySet()) {
            if (!(key instanceof String)) {
                throw new TemplateException(where + " has a non-string key " + key);
            }
        }
        return (Map<String, Object>) mapValue;
    }

    private static String scalar(Object value, String where) {
        if (value == NO_VALUE) {
            throw new TemplateException(where + " is AWS::NoValue here; it needs a value");
        }
        if (value instanceof Map<?, ?> || value instanceof List<?> || value == null) {
            throw new TemplateException(where + " must be a single value after evaluating intrinsic functions");
        }
        return String.valueOf(value);
    }

    private static int integer(Object value, String where) {
        try {
            return Integer.parseInt(scalar(value, where).strip());
        } catch (NumberFormatException e) {
            throw new TemplateException(where + " must be an integer", e);
        }
    }
}
