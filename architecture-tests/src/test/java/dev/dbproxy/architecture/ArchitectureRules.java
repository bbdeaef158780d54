package dev.dbproxy.architecture;

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

/** The layering of the project, stated once; {@link HexagonalArchitectureTest} checks it on the real classes. */
final class ArchitectureRules {

    static final String CORE = "dev.dbproxy.notes.core..";
    static final String ADAPTERS = "dev.dbproxy.notes.adapter..";
    static final String BUSINESS_FUNCTIONS = "dev.dbproxy.notes.sample..";
    /** The public DB proxy client, a library business functions of any domain use. */
    static final String PROXY_CLIENT = "dev.dbproxy.proxy.client..";
    static final String PROJECT = "dev.dbproxy..";
    static final String MONGODB_ERRORS = "dev.dbproxy.mongodb.errors..";
    /** What a team deploys: the domain, the adapters, the proxy, the business functions and what they share. */
    static final String[] PRODUCT = {"dev.dbproxy.notes..", "dev.dbproxy.proxy..", "dev.dbproxy.lambda.environment..",
        MONGODB_ERRORS};
    /** What runs only on a developer's machine ({@code tooling/}): the emulator, the embedded database, the lab. */
    static final String[] TOOLING = {"dev.dbproxy.lambda.platform..", "dev.dbproxy.localmongodb..", "dev.dbproxy.lab..",
        "dev.dbproxy.reliability.."};

    private ArchitectureRules() {
    }

    static final ArchRule CORE_DEPENDS_ONLY_ON_THE_JDK_AND_REACTOR = classes()
            .that().resideInAPackage(CORE)
            .should().onlyDependOnClassesThat().resideInAnyPackage(
                    CORE, "java..", "reactor..", "org.reactivestreams..")
            .because("the domain must not know any database, cloud SDK or framework");

    static final ArchRule MONGODB_ERRORS_DEPEND_ONLY_ON_THE_JDK_AND_THE_DRIVER = classes()
            .that().resideInAPackage(MONGODB_ERRORS)
            .should().onlyDependOnClassesThat().resideInAnyPackage(
                    MONGODB_ERRORS, "java..", "com.mongodb..", "org.bson..")
            .because("one classification serves the direct adapter and the proxy: it must know neither the domain"
                    + " nor the protocol");

    static final ArchRule ADAPTERS_NEVER_DEPEND_ON_EACH_OTHER = slices()
            .matching("dev.dbproxy.notes.adapter.(*)..")
            .should().notDependOnEachOther()
            .because("each adapter is an alternative behind the port, chosen by configuration");

    static final ArchRule ADAPTERS_DEPEND_ON_NO_BUSINESS_FUNCTION = noClasses()
            .that().resideInAPackage(ADAPTERS)
            .should().dependOnClassesThat().resideInAPackage(BUSINESS_FUNCTIONS)
            .because("adapters serve the port, not a particular application");

    static final ArchRule BUSINESS_FUNCTIONS_NEVER_REFERENCE_AN_ADAPTER = noClasses()
            .that().resideInAPackage(BUSINESS_FUNCTIONS)
            .should().dependOnClassesThat().resideInAPackage(ADAPTERS)
            .allowEmptyShould(true)
            .because("business functions switch strategy with NOTES_REPOSITORY, never with code");

    static final ArchRule PRODUCT_CODE_NEVER_DEPENDS_ON_TOOLING = noClasses()
            .that().resideInAnyPackage(PRODUCT)
            .should().dependOnClassesThat().resideInAnyPackage(TOOLING)
            .because("what a team deploys must run without the local emulator, the embedded database or the lab");

    static final ArchRule LIBRARY_CODE_NEVER_BLOCKS = noClasses()
            .that().resideInAnyPackage(CORE, ADAPTERS, PROXY_CLIENT)
            .should(ArchConditions.callMethodWhere(blockingCall()))
            .because("the port and the client are non-blocking by contract: blocking would pin threads of the"
                    + " caller's event loop");

    static final ArchRule THE_PROXY_CLIENT_KNOWS_NO_APPLICATION = noClasses()
            .that().resideInAPackage(PROXY_CLIENT)
            .should().dependOnClassesThat().resideInAnyPackage("dev.dbproxy.notes..", "com.mongodb..", "org.bson..")
            .because("the client serves any domain's collections, without the MongoDB driver");

    static final ArchRule MAIN_CODE_NEVER_PRINTS_TO_THE_CONSOLE = noClasses()
            .that().resideInAPackage(PROJECT).and(areNotCommandLineEntryPoints())
            .should().accessField(System.class, "out")
            .orShould().accessField(System.class, "err")
            .orShould().dependOnClassesThat().resideInAPackage("java.util.logging..")
            .because("Lambda code logs JSON lines to its LambdaLogger (JsonLogLine) or through SLF4J; only command-line"
                    + " entry points print");

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

    /** Command-line programs (classes with a {@code main} method named {@code *Command} or {@code *Main}) may print. */
    private static DescribedPredicate<JavaClass> areNotCommandLineEntryPoints() {
        return DescribedPredicate.describe("are not command-line entry points",
                javaClass -> !(javaClass.getSimpleName().endsWith("Command")
                        || javaClass.getSimpleName().endsWith("Main")));
    }
}
