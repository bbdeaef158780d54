package dev.dbproxy.notes.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dbproxy.lambda.platform.template.CloudFormationYamlConstructor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * Every SAM template of the repository passes {@code cfn-lint}, which runs the AWS SAM translator that
 * {@code sam deploy} runs: a template that the local platform loads happily can still be refused by AWS (as
 * {@code Globals.HttpApi.StageName} was), and only the translator says so before a deployment does.
 *
 * <p>The templates are found, not listed: every {@code *.yaml} or {@code *.yml} under the repository root that holds
 * {@code AWS::Serverless}, outside {@code target} and {@code src/test} folders, so a template added later (an example
 * module's) is linted too. {@code sample-notes/template.yaml} is also linted with its JWT authorizer chosen and with
 * each group of functions on Lambda Managed Instances, the branches its defaults do not take. Needs {@code cfn-lint} on the PATH ({@code pip install cfn-lint}).
 */
class SamTemplatesLintIT {

    private static final Path REPOSITORY_ROOT = Path.of("").toAbsolutePath().getParent();
    private static final Path SAMPLE_NOTES_TEMPLATE = REPOSITORY_ROOT.resolve("sample-notes/template.yaml");
    private static final Duration LINT_TIMEOUT = Duration.ofSeconds(120);
    private static final Set<String> SKIPPED_FOLDERS = Set.of("target", ".git", "node_modules");

    @TestFactory
    Stream<DynamicTest> everySamTemplateOfTheRepository_passesCfnLint() throws IOException {
        List<Path> templates = samTemplates();
        assertTrue(templates.contains(SAMPLE_NOTES_TEMPLATE),
                "the search finds " + SAMPLE_NOTES_TEMPLATE + ": " + templates);
        return templates.stream().map(template -> DynamicTest.dynamicTest(
                REPOSITORY_ROOT.relativize(template).toString(), () -> assertPassesCfnLint(template)));
    }

    @Test
    void sampleNotesTemplate_withTheJwtAuthorizerChosen_passesCfnLint(@TempDir Path folder)
            throws IOException, InterruptedException {
        assertPassesCfnLint(withDefaults(Map.of("ApiAuthorizer", "JwtAuthorizer",
                "JwtIssuer", "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Example"), folder.resolve("template-jwt.json")));
    }

    /**
     * The three managed-instances configurations besides "all on Lambda" (the defaults): the business functions, the
     * business functions and the DB proxy, or only the DB proxy on Lambda Managed Instances, with example subnets.
     */
    @TestFactory
    Stream<DynamicTest> sampleNotesTemplate_withGroupsOnManagedInstances_passesCfnLint(@TempDir Path folder) {
        return Stream.of(List.of("ManagedInstances", "Lambda"), List.of("ManagedInstances", "ManagedInstances"),
                List.of("Lambda", "ManagedInstances")).map(compute -> DynamicTest.dynamicTest(
                "BusinessCompute=" + compute.get(0) + ", ProxyCompute=" + compute.get(1), () -> assertPassesCfnLint(
                        withDefaults(Map.of("BusinessCompute", compute.get(0), "ProxyCompute", compute.get(1),
                                "ManagedInstancesSubnetIds", "subnet-0123456789abcdef0,subnet-0fedcba9876543210",
                                "ManagedInstancesSecurityGroupIds", "sg-0123456789abcdef0"),
                                folder.resolve("template-" + compute.get(0) + "-" + compute.get(1) + ".json")))));
    }

    /**
     * A copy of {@code sample-notes/template.yaml} whose parameters default to the given values: cfn-lint evaluates
     * AWS::LanguageExtensions with the parameters' defaults, so another branch is linted by making it the default
     * (written as JSON, which keeps every intrinsic function in its long form).
     */
    private static Path withDefaults(Map<String, String> defaults, Path copy) throws IOException {
        Map<String, Object> template = new Yaml(new CloudFormationYamlConstructor())
                .load(Files.readString(SAMPLE_NOTES_TEMPLATE));
        Map<String, Object> parameters = mapping(template.get("Parameters"));
        defaults.forEach((name, value) -> mapping(parameters.get(name)).put("Default", value));
        Files.writeString(copy, new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(template));
        return copy;
    }

    @Test
    void sampleNotesTemplate_withSnapStartOn_passesCfnLint(@TempDir Path folder)
            throws IOException, InterruptedException {
        Map<String, Object> template = new Yaml(new CloudFormationYamlConstructor())
                .load(Files.readString(SAMPLE_NOTES_TEMPLATE));
        mapping(mapping(template.get("Parameters")).get("SnapStart")).put("Default", "PublishedVersions");
        Path snapStartTemplate = folder.resolve("template-snapstart.json");
        Files.writeString(snapStartTemplate,
                new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(template));

        assertPassesCfnLint(snapStartTemplate);
    }

    /** Runs {@code cfn-lint <file>}: it prints nothing and exits 0 for a valid template. */
    private static void assertPassesCfnLint(Path template) throws IOException, InterruptedException {
        Path output = Files.createTempFile("cfn-lint", ".txt");
        try {
            Process lint;
            try {
                lint = new ProcessBuilder("cfn-lint", template.toString())
                        .redirectErrorStream(true)
                        .redirectOutput(output.toFile())
                        .start();
            } catch (IOException e) {
                fail("cfn-lint is not on the PATH; install it with `pip install cfn-lint` (it brings the AWS SAM"
                        + " translator that `sam deploy` runs) and run the build again (" + e.getMessage() + ")");
                return;
            }
            if (!lint.waitFor(LINT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                lint.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                fail("cfn-lint " + template + " did not finish within " + LINT_TIMEOUT.toSeconds() + " s:\n"
                        + Files.readString(output, StandardCharsets.UTF_8));
            }
            String printed = Files.readString(output, StandardCharsets.UTF_8);
            assertEquals(0, lint.exitValue(),
                    () -> "cfn-lint " + template + " exited " + lint.exitValue() + ":\n" + printed);
            assertEquals("", printed.strip(), () -> "cfn-lint " + template + " printed:\n" + printed);
        } finally {
            Files.deleteIfExists(output);
        }
    }

    private static List<Path> samTemplates() throws IOException {
        List<Path> templates = new ArrayList<>();
        Files.walkFileTree(REPOSITORY_ROOT, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path folder, BasicFileAttributes attributes) {
                boolean testSources = folder.getFileName() != null && folder.getFileName().toString().equals("test")
                        && folder.getParent() != null && folder.getParent().getFileName().toString().equals("src");
                return testSources || SKIPPED_FOLDERS.contains(String.valueOf(folder.getFileName()))
                        ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                String name = file.getFileName().toString();
                if ((name.endsWith(".yaml") || name.endsWith(".yml"))
                        && Files.readString(file, StandardCharsets.UTF_8).contains("AWS::Serverless")) {
                    templates.add(file);
                }
                return FileVisitResult.CONTINUE;
            }
        });
        templates.sort(null);
        return templates;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> mapping(Object value) {
        assertTrue(value instanceof Map<?, ?>, "a mapping: " + value);
        return (Map<String, Object>) value;
    }
}
