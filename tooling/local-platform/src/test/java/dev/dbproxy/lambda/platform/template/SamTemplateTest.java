package dev.dbproxy.lambda.platform.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dbproxy.lambda.platform.FunctionCompute;
import dev.dbproxy.lambda.platform.FunctionDefinition;
import dev.dbproxy.lambda.platform.ManagedInstances;
import dev.dbproxy.lambda.platform.HttpApiAccess;
import dev.dbproxy.lambda.platform.HttpApiRoute;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class SamTemplateTest {

    private static final Path NOTES = Path.of("src/test/resources/templates/notes.yaml");

    private static final String MINIMAL = """
            Transform: AWS::Serverless-2016-10-31
            Resources:
              Fn:
                Type: AWS::Serverless::Function
                Properties:
                  Handler: a.B
                  Runtime: java21
            """;

    /** One function behind an explicit HTTP API resource that requires AWS_IAM and throttles its routes. */
    private static final String API_TEMPLATE = """
            Transform: [AWS::LanguageExtensions, AWS::Serverless-2016-10-31]
            Parameters:
              Authorizer:
                Type: String
                Default: AWS_IAM
            Resources:
              Api:
                Type: AWS::Serverless::HttpApi
                Properties:
                  Auth:
                    EnableIamAuthorizer: true
                    DefaultAuthorizer: !Ref Authorizer
                    Authorizers:
                      Jwt:
                        IdentitySource: $request.header.Authorization
                        JwtConfiguration:
                          issuer: https://issuer.example.com
                          audience: [notes]
                  DefaultRouteSettings:
                    ThrottlingBurstLimit: 10
                    ThrottlingRateLimit: 2.5
              Fn:
                Type: AWS::Serverless::Function
                Properties:
                  Handler: a.B
                  Runtime: java21
                  Events:
                    Get:
                      Type: HttpApi
                      Properties: {ApiId: !Ref Api, Path: /x, Method: GET}
            """;

    @Test
    void load_readsFunctionsWithGlobalsParametersAndIntrinsics() {
        SamTemplate template = SamTemplate.load(NOTES, Map.of("Stage", "prod"));

        FunctionDefinition proxy = template.function("notes-proxy-prod");
        assertEquals("dev.dbproxy.NotesProxyHandler::handleRequest", proxy.handler());
        assertEquals("java21", proxy.runtime());
        assertEquals(512, proxy.memoryMb());
        assertEquals(Duration.ofSeconds(10), proxy.timeout());
        assertEquals(5, proxy.reservedConcurrency());
        assertEquals(Map.of("STAGE", "prod", "LOG_LEVEL", "debug", "MONGODB_URI", "mongodb://127.0.0.1:27017"), proxy.environment());

        FunctionDefinition getNote = template.function("GetNoteFunction");
        assertEquals(256, getNote.memoryMb());
        assertFalse(getNote.hasReservedConcurrency());
        assertEquals("notes-proxy-prod", getNote.environment().get("PROXY_FUNCTION_NAME"));
        assertEquals("arn:aws:lambda:us-east-1:123456789012:function:notes-proxy-prod", getNote.environment().get("PROXY_FUNCTION_ARN"));
        assertEquals("https://example.com/us-east-1/notes-proxy-prod/${Literal}", getNote.environment().get("TABLE_URL"));
        assertEquals("Notes behind a DB proxy function", template.description());
    }

    @Test
    void codeUri_isTheDeploymentPackageResolvedAgainstTheTemplatesFolder() {
        SamTemplate template = SamTemplate.load(NOTES, Map.of("Stage", "prod"));

        assertEquals(NOTES.toAbsolutePath().getParent().resolve("proxy-handler"), template.codeUri("notes-proxy-prod"));
        assertThrows(IllegalArgumentException.class, () -> template.codeUri("no-such-function"));
    }

    @Test
    void load_readsHttpApiEventsAsRoutes() {
        SamTemplate template = SamTemplate.load(NOTES, Map.of());

        assertEquals(List.of(new HttpApiRoute("GET", "/notes/{id}", "GetNoteFunction"), new HttpApiRoute("ANY", "/notes", "GetNoteFunction")),
                template.routes());
    }

    @Test
    void parameterOverride_replacesTheDefault_andNeverPrints() {
        SamTemplate template = SamTemplate.load(NOTES, Map.of("MongoDbUri", "mongodb://user:secret@db:27017"));

        assertEquals("mongodb://user:secret@db:27017", template.function("notes-proxy-dev").environment().get("MONGODB_URI"));
        assertFalse(template.toString().contains("secret"));
        assertFalse(template.function("notes-proxy-dev").toString().contains("secret"));
    }

    @Test
    void regionAndAccount_flowIntoArnsAndPseudoParameters() {
        SamTemplate template = SamTemplate.load(NOTES, Map.of(), "eu-west-1", "111122223333");

        assertEquals("arn:aws:lambda:eu-west-1:111122223333:function:notes-proxy-dev",
                template.function("GetNoteFunction").environment().get("PROXY_FUNCTION_ARN"));
    }

    @Test
    void minimalTemplate_getsLambdasDefaults() {
        FunctionDefinition function = parse(MINIMAL).function("Fn");

        assertEquals(128, function.memoryMb());
        assertEquals(Duration.ofSeconds(3), function.timeout());
        assertTrue(parse(MINIMAL).routes().isEmpty());
    }

    @Test
    void load_readsTheProjectsDeploymentTemplate() {
        Path sampleNotes = Path.of("../../sample-notes/template.yaml");
        Assumptions.assumeTrue(Files.exists(sampleNotes), "sample-notes is not in this checkout");

        SamTemplate template = SamTemplate.load(sampleNotes, Map.of("MongoDbUri", "mongodb://127.0.0.1:1"));

        FunctionDefinition proxy = template.function("DbProxyFunction");
        assertTrue(proxy.hasReservedConcurrency());
        assertEquals("mongodb://127.0.0.1:1", proxy.environment().get("MONGODB_URI"));
        assertTrue(template.routes().stream().allMatch(route -> route.path().startsWith("/direct/notes") || route.path().startsWith("/proxy/notes")));
        assertEquals(template.routes().size(), template.routes().stream().distinct().count());
        assertFalse(template.routes().isEmpty());
    }

    @Test
    void load_readsWhatTheProjectsHttpApiDemandsOfCallers() {
        Path sampleNotes = Path.of("../../sample-notes/template.yaml");
        Assumptions.assumeTrue(Files.exists(sampleNotes), "sample-notes is not in this checkout");

        SamTemplate iam = SamTemplate.load(sampleNotes, Map.of("MongoDbUri", "mongodb://127.0.0.1:1"));
        SamTemplate jwt = SamTemplate.load(sampleNotes, Map.of("MongoDbUri", "mongodb://127.0.0.1:1",
                "ApiAuthorizer", "JwtAuthorizer", "JwtIssuer", "https://issuer.example.com", "ApiThrottlingRateLimit", "5"));

        assertEquals(new HttpApiAccess("AWS_IAM", "AWS_IAM", "burst 50, rate 20 requests/s per route"), iam.httpApiAccess());
        assertEquals(new HttpApiAccess("JwtAuthorizer", "JWT", "burst 50, rate 5 requests/s per route"), jwt.httpApiAccess());
    }

    @Test
    void globalHttpApiStageName_isRejected_asTheSamTransformDoes() {
        assertError("unsupported property StageName at Globals.HttpApi: the SAM transform refuses it", MINIMAL + """
            Globals:
              HttpApi:
                StageName: $default
            """);
    }

    @Test
    void httpApiResource_givesItsAuthorizerAndThrottling_toTheRoutesThatNameIt() {
        SamTemplate template = parse(API_TEMPLATE);

        assertEquals(List.of(new HttpApiRoute("GET", "/x", "Fn")), template.routes());
        assertEquals(new HttpApiAccess("AWS_IAM", "AWS_IAM", "burst 10, rate 2.5 requests/s per route"), template.httpApiAccess());
        assertTrue(template.httpApiAccess().localNotice().contains("no SigV4 signature or JWT is checked"));
    }

    @Test
    void jwtDefaultAuthorizer_isNamed_andGlobalsMergeIntoTheResource() {
        SamTemplate template = parse(API_TEMPLATE.replace("Default: AWS_IAM", "Default: Jwt")
                .replace("      DefaultRouteSettings:\n        ThrottlingBurstLimit: 10\n        ThrottlingRateLimit: 2.5\n", "")
                + """
                Globals:
                  HttpApi:
                    DefaultRouteSettings:
                      ThrottlingBurstLimit: 7
                """);

        assertEquals(new HttpApiAccess("Jwt", "JWT", "burst 7 per route"), template.httpApiAccess());
        assertTrue(template.httpApiAccess().localNotice().contains("requires a JWT from the authorizer Jwt"));
    }

    @Test
    void templateWithoutAuth_isOpen() {
        assertEquals(HttpApiAccess.OPEN, parse(MINIMAL).httpApiAccess());
        assertFalse(parse(MINIMAL).httpApiAccess().requiresAuthorization());
    }

    @Test
    void defaultAuthorizerNamingNoAuthorizer_isRejected() {
        assertError("DefaultAuthorizer Nobody at Resources.Api.Properties.Auth names no authorizer (Authorizers: [Jwt], and AWS_IAM)",
                API_TEMPLATE.replace("Default: AWS_IAM", "Default: Nobody"));
    }

    @Test
    void iamDefaultAuthorizerWithoutEnableIamAuthorizer_isRejected() {
        assertError("DefaultAuthorizer AWS_IAM at Resources.Api.Properties.Auth needs EnableIamAuthorizer: true",
                API_TEMPLATE.replace("        EnableIamAuthorizer: true\n", ""));
    }

    @Test
    void lambdaAuthorizer_isRejected() {
        assertError("unsupported property FunctionArn at Resources.Api.Properties.Auth.Authorizers.Jwt (supported: JWT authorizers)",
                API_TEMPLATE.replace("            IdentitySource: $request.header.Authorization\n",
                        "            FunctionArn: arn:aws:lambda:us-east-1:1:function:auth\n"));
    }

    @Test
    void apiIdThatIsNoHttpApi_isRejected() {
        assertError("Resources.Fn.Properties.Events.Get.Properties.ApiId must be a Ref to an AWS::Serverless::HttpApi of the template",
                API_TEMPLATE.replace("ApiId: !Ref Api", "ApiId: !Ref Fn"));
    }

    @Test
    void eventsOfTwoHttpApis_areRejected() {
        assertError("the template has 2 HTTP APIs [Api, ServerlessHttpApi]", API_TEMPLATE + """
                    Other:
                      Type: HttpApi
                      Properties: {Path: /y, Method: GET}
            """);
    }

    @Test
    void httpApiStageOtherThanDefault_isRejected() {
        assertError("unsupported StageName prod at Resources.Api.Properties", API_TEMPLATE.replace("      Auth:", "      StageName: prod\n      Auth:"));
    }

    @Test
    void languageExtensionsAfterTheSamTransform_isRejected() {
        assertError("AWS::LanguageExtensions must come before AWS::Serverless-2016-10-31",
                API_TEMPLATE.replace("[AWS::LanguageExtensions, AWS::Serverless-2016-10-31]", "[AWS::Serverless-2016-10-31, AWS::LanguageExtensions]"));
    }

    @Test
    void httpApiEventWithoutPathAndMethod_isTheDefaultRoute() {
        SamTemplate template = parse(MINIMAL + """
                      Events:
                        Everything:
                          Type: HttpApi
                """);

        assertEquals(List.of(new HttpApiRoute("ANY", "$default", "Fn")), template.routes());
    }

    @Test
    void snapStartApplyOnPublishedVersions_turnsSnapStartOn_andNoneOrAbsentLeavesItOff() {
        assertFalse(parse(MINIMAL).function("Fn").snapStart());
        String template = MINIMAL + """
                      SnapStart:
                        ApplyOn: !Ref SnapStart
                Parameters:
                  SnapStart:
                    Type: String
                    Default: None
                    AllowedValues: [None, PublishedVersions]
                """;

        assertFalse(parse(template).function("Fn").snapStart());
        assertTrue(SamTemplate.parse(template, Map.of("SnapStart", "PublishedVersions"), "us-east-1", "123456789012")
                .function("Fn").snapStart());
    }

    @Test
    void projectsTemplateWithSnapStartParameter_turnsSnapStartOnForEveryFunction() {
        Path sampleNotes = Path.of("../../sample-notes/template.yaml");
        Assumptions.assumeTrue(Files.exists(sampleNotes), "sample-notes is not in this checkout");

        SamTemplate on = SamTemplate.load(sampleNotes, Map.of("MongoDbUri", "mongodb://127.0.0.1:1",
                "SnapStart", "PublishedVersions"));
        SamTemplate off = SamTemplate.load(sampleNotes, Map.of("MongoDbUri", "mongodb://127.0.0.1:1"));

        assertTrue(on.functions().stream().allMatch(FunctionDefinition::snapStart));
        assertTrue(off.functions().stream().noneMatch(FunctionDefinition::snapStart));
    }

    @Test
    void snapStartApplyOnOtherThanNoneOrPublishedVersions_isNamed() {
        assertError("unsupported Resources.Fn.Properties.SnapStart.ApplyOn AllVersions", MINIMAL + """
                      SnapStart:
                        ApplyOn: AllVersions
                """);
    }

    @Test
    void unsupportedIntrinsicFunction_isNamed() {
        assertError("unsupported intrinsic function Fn::Join at Resources.Fn.Properties.Environment.Variables.X", MINIMAL + """
                      Environment:
                        Variables:
                          X: !Join [",", [a, b]]
                """);
    }

    @Test
    void unsupportedFunctionProperty_isNamed() {
        assertError("unsupported property Layers at Resources.Fn.Properties", MINIMAL + """
                      Layers: [arn:aws:lambda:us-east-1:1:layer:x:1]
                """);
    }

    @Test
    void unsupportedResourceType_isNamed() {
        assertError("unsupported resource type AWS::DynamoDB::Table at Resources.Table", MINIMAL + """
              Table:
                Type: AWS::DynamoDB::Table
            """);
    }

    @Test
    void unsupportedSection_isNamed() {
        assertError("unsupported template section Mappings", MINIMAL + """
            Mappings:
              Sizes: {Small: {Memory: 128}}
            """);
    }

    @Test
    void unsupportedEventType_isNamed() {
        assertError("unsupported event Type Api at Resources.Fn.Properties.Events.Rest", MINIMAL + """
                      Events:
                        Rest:
                          Type: Api
                          Properties: {Path: /x, Method: get}
                """);
    }

    @Test
    void unknownYamlTag_isNamed() {
        assertError("!Bogus", MINIMAL + """
                      Description: !Bogus x
                """);
    }

    @Test
    void invalidYaml_isReported() {
        assertError("not valid YAML", "Resources: [unclosed");
    }

    @Test
    void nonJavaRuntime_isRejected() {
        assertError("unsupported Runtime python3.12", MINIMAL.replace("java21", "python3.12"));
    }

    @Test
    void refToAnUnknownName_isNamed() {
        assertError("Ref to Nowhere at Resources.Fn.Properties.Environment.Variables.X", MINIMAL + """
                      Environment:
                        Variables:
                          X: !Ref Nowhere
                """);
    }

    @Test
    void getAttOfAnUnsupportedAttribute_pointsToRef() {
        assertError("use Ref for the function's name", MINIMAL + """
                      Environment:
                        Variables:
                          X: !GetAtt Fn.Name
                """);
    }

    @Test
    void overrideOfAnUnknownParameter_isRejected() {
        TemplateException error = assertThrows(TemplateException.class, () -> SamTemplate.load(NOTES, Map.of("Nope", "x")));
        assertTrue(error.getMessage().contains("parameter override Nope"), error.getMessage());
    }

    @Test
    void parameterOutsideItsAllowedValues_isRejectedWithoutShowingTheValue() {
        TemplateException error = assertThrows(TemplateException.class, () -> SamTemplate.load(NOTES, Map.of("Stage", "s3cret")));
        assertTrue(error.getMessage().contains("parameter Stage must be one of [dev, prod]"), error.getMessage());
        assertFalse(error.getMessage().contains("s3cret"));
    }

    @Test
    void parameterWithoutDefaultOrOverride_isRejected() {
        assertError("parameter Uri has no Default and no override", MINIMAL + """
            Parameters:
              Uri:
                Type: String
            """);
    }

    @Test
    void missingTransform_isRejected() {
        assertError("Transform must be AWS::Serverless-2016-10-31", MINIMAL.replace("Transform: AWS::Serverless-2016-10-31\n", ""));
    }

    @Test
    void outOfBoundsValue_isAnInvalidFunction() {
        assertError("invalid function Fn: memory of function Fn must be 128 to 10240 MB", MINIMAL + """
                      MemorySize: 64
                """);
    }

    /** A capacity provider and a function on it, chosen by a parameter, with its Lambda twin. */
    private static final String MANAGED_TEMPLATE = """
            Transform: AWS::Serverless-2016-10-31
            Parameters:
              Compute:
                Type: String
                Default: Lambda
                AllowedValues: [Lambda, ManagedInstances]
              Subnets:
                Type: CommaDelimitedList
                Default: subnet-1,subnet-2
            Conditions:
              OnInstances: !Equals [!Ref Compute, ManagedInstances]
              OnLambda: !Not [!Condition OnInstances]
            Resources:
              Provider:
                Type: AWS::Serverless::CapacityProvider
                Condition: OnInstances
                Properties:
                  VpcConfig:
                    SubnetIds: !Ref Subnets
                  InstanceRequirements:
                    Architectures: [x86_64]
                  ScalingConfig:
                    MaxVCpuCount: 12
                    AverageCPUUtilization: 40
              Fn:
                Type: AWS::Serverless::Function
                Condition: OnLambda
                Properties:
                  Handler: a.B
                  Runtime: java21
                  ReservedConcurrentExecutions: 4
              FnManaged:
                Type: AWS::Serverless::Function
                Condition: OnInstances
                Properties:
                  Handler: a.B
                  Runtime: java21
                  MemorySize: 4096
                  CapacityProviderConfig:
                    Arn: !GetAtt Provider.Arn
                    PerExecutionEnvironmentMaxConcurrency: 50
                    ExecutionEnvironmentMemoryGiBPerVCpu: 2
                  FunctionScalingConfig:
                    MinExecutionEnvironments: 1
                    MaxExecutionEnvironments: 4
              Caller:
                Type: AWS::Serverless::Function
                Properties:
                  Handler: a.C
                  Runtime: java21
                  Environment:
                    Variables:
                      TARGET: !If [OnInstances, !GetAtt FnManaged.Arn, !GetAtt Fn.Arn]
                      ONLY_ON_INSTANCES: !If [OnInstances, "yes", !Ref AWS::NoValue]
            """;

    @Test
    void capacityProviderConfig_runsTheFunctionOnManagedInstances_withItsProvidersLimits() {
        SamTemplate template = SamTemplate.parse(MANAGED_TEMPLATE, Map.of("Compute", "ManagedInstances"),
                "us-east-1", "123456789012");

        assertEquals(List.of("FnManaged", "Caller"), template.functions().stream().map(FunctionDefinition::name).toList());
        FunctionDefinition managed = template.function("FnManaged");
        assertEquals(new ManagedInstances("Provider", 12, 2, 50, 1, 4, 0.4), managed.compute());
        assertEquals(50, managed.maxConcurrencyPerEnvironment());
        assertEquals(2, ((ManagedInstances) managed.compute()).vCpusPerEnvironment(managed.memoryMb()));
        assertEquals(Map.of("TARGET", "arn:aws:lambda:us-east-1:123456789012:function:FnManaged", "ONLY_ON_INSTANCES", "yes"),
                template.function("Caller").environment());
    }

    @Test
    void resourcesWhoseConditionIsFalse_areLeftOut_andFnIfTakesTheOtherBranch() {
        SamTemplate template = parse(MANAGED_TEMPLATE);

        assertEquals(List.of("Fn", "Caller"), template.functions().stream().map(FunctionDefinition::name).toList());
        assertEquals(FunctionCompute.LAMBDA, template.function("Fn").compute());
        assertEquals(4, template.function("Fn").reservedConcurrency());
        assertEquals(Map.of("TARGET", "arn:aws:lambda:us-east-1:123456789012:function:Fn"),
                template.function("Caller").environment(), "AWS::NoValue leaves the variable out");
    }

    @Test
    void capacityProviderWithoutMaxVCpuCount_isRejected() {
        assertError("ScalingConfig.MaxVCpuCount is required here", MANAGED_TEMPLATE
                .replace("Default: Lambda", "Default: ManagedInstances").replace("MaxVCpuCount: 12\n", ""));
    }

    @Test
    void getAttOfAResourceItsConditionLeavesOut_isNamed() {
        assertError("which its Condition leaves out with these parameters", MANAGED_TEMPLATE
                .replace("TARGET: !If [OnInstances, !GetAtt FnManaged.Arn, !GetAtt Fn.Arn]", "TARGET: !GetAtt FnManaged.Arn"));
    }

    @Test
    void conditionThatIsNotDeclared_isNamed() {
        assertError("condition Missing at Resources.Fn.Condition is not declared in Conditions",
                MANAGED_TEMPLATE.replace("Condition: OnLambda", "Condition: Missing"));
    }

    @Test
    void theProjectsTemplate_putsEachGroupOnManagedInstances_asItsParametersSay() {
        Path sampleNotes = Path.of("../../sample-notes/template.yaml");
        Assumptions.assumeTrue(Files.exists(sampleNotes), "sample-notes is not in this checkout");
        String proxyOnInstances = "arn:aws:lambda:us-east-1:123456789012:function:DbProxyManagedFunction:live";

        SamTemplate lambda = SamTemplate.load(sampleNotes, Map.of("MongoDbUri", "mongodb://127.0.0.1:1"));
        SamTemplate business = SamTemplate.load(sampleNotes, Map.of("MongoDbUri", "mongodb://127.0.0.1:1",
                "BusinessCompute", "ManagedInstances"));
        SamTemplate both = SamTemplate.load(sampleNotes, Map.of("MongoDbUri", "mongodb://127.0.0.1:1",
                "BusinessCompute", "ManagedInstances", "ProxyCompute", "ManagedInstances"));
        SamTemplate proxy = SamTemplate.load(sampleNotes, Map.of("MongoDbUri", "mongodb://127.0.0.1:1",
                "ProxyCompute", "ManagedInstances"));

        assertTrue(lambda.functions().stream().noneMatch(FunctionDefinition::runsOnManagedInstances));
        assertEquals(11, lambda.functions().size());
        for (SamTemplate onInstances : List.of(business, both)) {
            FunctionDefinition direct = onInstances.function("DirectListNotesManagedFunction");
            assertEquals(new ManagedInstances("ManagedInstancesCapacityProvider", 64, 2, 32, 3,
                    ManagedInstances.UNLIMITED, 0.5), direct.compute());
            assertEquals(2048, direct.memoryMb());
            assertTrue(onInstances.routes().stream().allMatch(route -> route.functionName().endsWith("ManagedFunction")));
            assertEquals(lambda.routes().size(), onInstances.routes().size());
        }
        assertFalse(business.function("DbProxyFunction").runsOnManagedInstances());
        assertEquals(3, ((ManagedInstances) both.function("DbProxyManagedFunction").compute()).maxEnvironments());
        assertFalse(both.function("DbProxyManagedFunction").hasReservedConcurrency());
        assertEquals(proxyOnInstances, both.function("ProxyGetNoteManagedFunction").environment().get("NOTES_PROXY_FUNCTION"));
        assertFalse(proxy.function("ProxyGetNoteFunction").runsOnManagedInstances());
        assertEquals(proxyOnInstances, proxy.function("ProxyGetNoteFunction").environment().get("NOTES_PROXY_FUNCTION"));
        assertEquals(11, proxy.functions().size());
    }

    private static SamTemplate parse(String yaml) {
        return SamTemplate.parse(yaml, Map.of(), "us-east-1", "123456789012");
    }

    private static void assertError(String expectedFragment, String yaml) {
        TemplateException error = assertThrows(TemplateException.class, () -> parse(yaml));
        assertTrue(error.getMessage().contains(expectedFragment), error.getMessage());
    }
}
