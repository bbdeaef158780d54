package dev.dbproxy.notes.sample;

import static org.junit.jupiter.api.Assertions.assertAll;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * Every SAM template of the repository passes {@code cfn-lint}, which runs the AWS SAM translator that
 * {@code sam deploy} runs: a template that the local platform loads happily can still be refused by AWS (as
 * {@code Globals.HttpApi.StageName} was), and only the translator says so before a deployment does.
 *
 * <p>The templates are found, not listed: every {@code *.yaml} or {@code *.yml} under the repository root that holds
 * {@code AWS::Serverless}, outside {@code target} and {@code src/test} folders, so a template added later (an example
 * module's) is linted too. {@code sample-notes/template.yaml} is also linted with its JWT authorizer chosen, with
 * SnapStart on and with each group of functions on Lambda Managed Instances, the branches its defaults do not take.
 * Needs {@code cfn-lint} on the PATH ({@code pip install cfn-lint}).
 */
class SamTemplatesLintIT {

    private static final Path REPOSITORY_ROOT = Path.of("").toAbsolutePath().getParent();
    private static final Path SAMPLE_NOTES_TEMPLATE = REPOSITORY_ROOT.resolve("sample-notes/template.yaml");
    private static final Duration LINT_TIMEOUT = Duration.ofSeconds(120);
    private static final Set<String> SKIPPED_FOLDERS = Set.of("target", ".git", "node_modules");

    /**
     * Every template of the repository and the five variants of {@code sample-notes/template.yaml}, linted by one
     * {@code cfn-lint} run (it starts in seconds, not milliseconds), each template judged on its own lines.
     */
    @Test
    void everySamTemplateOfTheRepository_andEveryBranchOfTheSampleOne_passCfnLint(@TempDir Path folder)
            throws IOException, InterruptedException {
        List<Path> templates = new ArrayList<>(samTemplates());
        assertTrue(templates.contains(SAMPLE_NOTES_TEMPLATE),
                "the search finds " + SAMPLE_NOTES_TEMPLATE + ": " + templates);
        templates.add(withDefaults(Map.of("ApiAuthorizer", "JwtAuthorizer",
                "JwtIssuer", "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Example"),
                folder.resolve("template-jwt.json")));
        templates.add(withDefaults(Map.of("SnapStart", "PublishedVersions"), folder.resolve("template-snapstart.json")));
        // The three managed-instances configurations besides "all on Lambda" (the defaults), with example subnets.
        for (List<String> compute : List.of(List.of("ManagedInstances", "Lambda"),
                List.of("ManagedInstances", "ManagedInstances"), List.of("Lambda", "ManagedInstances"))) {
            templates.add(withDefaults(Map.of("BusinessCompute", compute.get(0), "ProxyCompute", compute.get(1),
                            "ManagedInstancesSubnetIds", "subnet-0123456789abcdef0,subnet-0fedcba9876543210",
                            "ManagedInstancesSecurityGroupIds", "sg-0123456789abcdef0"),
                    folder.resolve("template-" + compute.get(0) + "-" + compute.get(1) + ".json")));
        }

        Lint lint = cfnLint(templates);

        Stream<Executable> eachTemplate = templates.stream().map(template -> () -> assertEquals(List.of(),
                lint.linesAbout(template), () -> "cfn-lint found problems in " + template));
        assertAll(Stream.concat(eachTemplate, Stream.of(() -> assertEquals(0, lint.exitValue(),
                () -> "cfn-lint exited " + lint.exitValue() + ":\n" + lint.printed()))));
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

    /**
     * What {@code cfn-lint --format parseable} printed (one {@code file:line:column:...:rule:message} line per
     * problem; nothing for valid templates) and its exit value.
     */
    private record Lint(int exitValue, String printed) {

        List<String> linesAbout(Path template) {
            return printed.lines().filter(line -> line.startsWith(template + ":")).toList();
        }
    }

    private static Lint cfnLint(List<Path> templates) throws IOException, InterruptedException {
        Path output = Files.createTempFile("cfn-lint", ".txt");
        try {
            List<String> command = new ArrayList<>(List.of("cfn-lint", "--format", "parseable"));
            templates.forEach(template -> command.add(template.toString()));
            Process lint;
            try {
                lint = new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(output.toFile())
                        .start();
            } catch (IOException e) {
                throw new AssertionError("cfn-lint is not on the PATH; install it with `pip install cfn-lint` (it"
                        + " brings the AWS SAM translator that `sam deploy` runs) and run the build again ("
                        + e.getMessage() + ")", e);
            }
            if (!lint.waitFor(LINT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                lint.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                fail("cfn-lint did not finish within " + LINT_TIMEOUT.toSeconds() + " s:\n"
                        + Files.readString(output, StandardCharsets.UTF_8));
            }
            return new Lint(lint.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
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
