package dev.dbproxy.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.lang.ArchRule;
import dev.dbproxy.architecture.rules.HexagonLayout;
import dev.dbproxy.architecture.rules.HexagonalRules;

/**
 * The notes hexagon's packages, checked by the project's rules ({@link HexagonalRules}, shared with the examples),
 * and the rules of the libraries the hexagons share; {@link HexagonalArchitectureTest} checks them on the real classes.
 */
final class ArchitectureRules {

    private static final HexagonalRules NOTES = HexagonalRules.of(new HexagonLayout(
            "dev.dbproxy.notes.core", "dev.dbproxy.notes.adapter", "dev.dbproxy.notes.sample", "NOTES_REPOSITORY"));
    /** The public DB proxy client, a library business functions of any domain use. */
    static final String PROXY_CLIENT = "dev.dbproxy.proxy.client..";
    static final String MONGODB_ERRORS = "dev.dbproxy.mongodb.errors..";

    private ArchitectureRules() {
    }

    static final ArchRule CORE_DEPENDS_ONLY_ON_THE_JDK_AND_REACTOR = NOTES.coreDependsOnlyOnTheJdkAndReactor();

    static final ArchRule MONGODB_ERRORS_DEPEND_ONLY_ON_THE_JDK_AND_THE_DRIVER = classes()
            .that().resideInAPackage(MONGODB_ERRORS)
            .should().onlyDependOnClassesThat().resideInAnyPackage(
                    MONGODB_ERRORS, "java..", "com.mongodb..", "org.bson..")
            .because("one classification serves the direct adapter and the proxy: it must know neither the domain"
                    + " nor the protocol");

    static final ArchRule ADAPTERS_NEVER_DEPEND_ON_EACH_OTHER = NOTES.adaptersNeverDependOnEachOther();

    static final ArchRule ADAPTERS_DEPEND_ON_NO_BUSINESS_FUNCTION = NOTES.adaptersDependOnNoBusinessFunction();

    static final ArchRule BUSINESS_FUNCTIONS_NEVER_REFERENCE_AN_ADAPTER =
            NOTES.businessFunctionsNeverReferenceAnAdapter();

    static final ArchRule PRODUCT_CODE_NEVER_DEPENDS_ON_TOOLING = HexagonalRules.productCodeNeverDependsOnTooling();

    static final ArchRule LIBRARY_CODE_NEVER_BLOCKS = NOTES.libraryCodeNeverBlocks();

    static final ArchRule THE_PROXY_CLIENT_NEVER_BLOCKS = HexagonalRules.neverBlocks(PROXY_CLIENT);

    static final ArchRule THE_PROXY_CLIENT_KNOWS_NO_APPLICATION = noClasses()
            .that().resideInAPackage(PROXY_CLIENT)
            .should().dependOnClassesThat().resideInAnyPackage("dev.dbproxy.notes..", "dev.dbproxy.examples..",
                    "com.mongodb..", "org.bson..")
            .because("the client serves any domain's collections, without the MongoDB driver");

    static final ArchRule MAIN_CODE_NEVER_PRINTS_TO_THE_CONSOLE = HexagonalRules.mainCodeNeverPrintsToTheConsole();
}
