package dev.dbproxy.architecture.rules;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.conditions.ArchConditions;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The layering of the project, stated once for any hexagon ({@link HexagonLayout}), so that a second aggregate (the
 * examples' tasks, a team's own) is held to exactly the rules of the first. A test class names each rule once:
 *
 * <pre>{@code
 * static final HexagonalRules TASKS = HexagonalRules.of(new HexagonLayout("com.acme.tasks.core",
 *         "com.acme.tasks.adapter", "com.acme.tasks.functions", "TASKS_REPOSITORY"));
 * @ArchTest static final ArchRule core_depends_only_on_the_jdk_and_reactor = TASKS.coreDependsOnlyOnTheJdkAndReactor();
 * }</pre>
 */
public final class HexagonalRules {

    /** Every class of the project. */
    public static final String PROJECT = "dev.dbproxy..";
    /** What a team deploys: domains, adapters, the proxy, business functions, the examples and what they share. */
    public static final String[] PRODUCT = {"dev.dbproxy.notes..", "dev.dbproxy.proxy..",
        "dev.dbproxy.lambda.environment..", "dev.dbproxy.mongodb.errors..", "dev.dbproxy.examples.."};
    /** What runs only on a developer's machine ({@code tooling/}): the emulator, the embedded database, the lab. */
    public static final String[] TOOLING = {"dev.dbproxy.lambda.platform..", "dev.dbproxy.localmongodb..",
        "dev.dbproxy.lab..", "dev.dbproxy.reliability..", "dev.dbproxy.architecture.."};

    private final HexagonLayout layout;

    private HexagonalRules(HexagonLayout layout) {
        this.layout = layout;
    }

    /** The rules for the hexagon whose packages {@code layout} names. */
    public static HexagonalRules of(HexagonLayout layout) {
        return new HexagonalRules(layout);
    }

    /** The domain knows only the JDK and Reactor. */
    public ArchRule coreDependsOnlyOnTheJdkAndReactor() {
        return classes()
                .that().resideInAPackage(core())
                .should().onlyDependOnClassesThat().resideInAnyPackage(
                        core(), "java..", "reactor..", "org.reactivestreams..")
                .because("the domain must not know any database, cloud SDK or framework");
    }

    /** No adapter package uses another. */
    public ArchRule adaptersNeverDependOnEachOther() {
        return slices()
                .matching(layout.adapters() + ".(*)..")
                .should().notDependOnEachOther()
                .because("each adapter is an alternative behind the port, chosen by configuration");
    }

    /** Adapters serve the port, never a handler. */
    public ArchRule adaptersDependOnNoBusinessFunction() {
        return noClasses()
                .that().resideInAPackage(adapters())
                .should().dependOnClassesThat().resideInAPackage(businessFunctions())
                .because("adapters serve the port, not a particular application");
    }

    /** Handlers get their adapter from the selector variable, never by naming it. */
    public ArchRule businessFunctionsNeverReferenceAnAdapter() {
        return noClasses()
                .that().resideInAPackage(businessFunctions())
                .should().dependOnClassesThat().resideInAPackage(adapters())
                .allowEmptyShould(true)
                .because("business functions switch strategy with " + layout.selectorVariable() + ", never with code");
    }

    /** No {@code block*}, {@code toIterable}, {@code toStream}, {@code Future.get/join} in the domain or adapters. */
    public ArchRule libraryCodeNeverBlocks() {
        return neverBlocks(core(), adapters());
    }

    /** No {@code block*}, {@code toIterable}, {@code toStream}, {@code Future.get/join} in these packages. */
    public static ArchRule neverBlocks(String... packages) {
        return noClasses()
                .that().resideInAnyPackage(packages)
                .should(ArchConditions.callMethodWhere(blockingCall()))
                .because("the API is non-blocking by contract: blocking would pin threads of the caller's event loop");
    }

    /** Product code runs without anything under {@code tooling/}. */
    public static ArchRule productCodeNeverDependsOnTooling() {
        return noClasses()
                .that().resideInAnyPackage(PRODUCT)
                .should().dependOnClassesThat().resideInAnyPackage(TOOLING)
                .because("what a team deploys must run without the local emulator, the embedded database or the lab");
    }

    /** Only command-line entry points ({@code *Command}, {@code *Main}) print; the rest logs. */
    public static ArchRule mainCodeNeverPrintsToTheConsole() {
        return noClasses()
                .that().resideInAPackage(PROJECT).and(areNotCommandLineEntryPoints())
                .should().accessField(System.class, "out")
                .orShould().accessField(System.class, "err")
                .orShould().dependOnClassesThat().resideInAPackage("java.util.logging..")
                .because("Lambda code logs JSON lines to its LambdaLogger (JsonLogLine) or through SLF4J; only"
                        + " command-line entry points print");
    }

    private String core() {
        return layout.core() + "..";
    }

    private String adapters() {
        return layout.adapters() + "..";
    }

    private String businessFunctions() {
        return layout.businessFunctions() + "..";
    }

    private static DescribedPredicate<JavaMethodCall> blockingCall() {
        return DescribedPredicate.describe("a blocking call (block*, toIterable, toStream, join, get)", call -> {
            JavaClass owner = call.getTargetOwner();
            String name = call.getName();
            boolean reactor = owner.isAssignableTo(Mono.class) || owner.isAssignableTo(Flux.class);
            boolean future = owner.isAssignableTo(Future.class) || owner.isAssignableTo(CompletableFuture.class);
            return reactor && (name.startsWith("block") || name.equals("toIterable") || name.equals("toStream"))
                    || future && (name.equals("join") || name.equals("get"));
        });
    }

    private static DescribedPredicate<JavaClass> areNotCommandLineEntryPoints() {
        return DescribedPredicate.describe("are not command-line entry points",
                javaClass -> !(javaClass.getSimpleName().endsWith("Command")
                        || javaClass.getSimpleName().endsWith("Main")));
    }
}
