package dev.dbproxy.architecture;

import com.tngtech.archunit.lang.ArchRule;
import dev.dbproxy.architecture.rules.HexagonLayout;
import dev.dbproxy.architecture.rules.HexagonalRules;

/**
 * The notes hexagon's packages, checked by the project's rules ({@link HexagonalRules}, shared with the examples);
 * {@link HexagonalArchitectureTest} checks them on the real classes.
 */
final class ArchitectureRules {

    private static final HexagonalRules NOTES = HexagonalRules.of(new HexagonLayout(
            "dev.dbproxy.notes.core", "dev.dbproxy.notes.adapter", "dev.dbproxy.notes.sample", "NOTES_REPOSITORY"));

    private ArchitectureRules() {
    }

    static final ArchRule CORE_DEPENDS_ONLY_ON_THE_JDK_AND_REACTOR = NOTES.coreDependsOnlyOnTheJdkAndReactor();

    static final ArchRule ADAPTERS_NEVER_DEPEND_ON_EACH_OTHER = NOTES.adaptersNeverDependOnEachOther();

    static final ArchRule ADAPTERS_DEPEND_ON_NO_BUSINESS_FUNCTION = NOTES.adaptersDependOnNoBusinessFunction();

    static final ArchRule BUSINESS_FUNCTIONS_NEVER_REFERENCE_AN_ADAPTER =
            NOTES.businessFunctionsNeverReferenceAnAdapter();

    static final ArchRule PRODUCT_CODE_NEVER_DEPENDS_ON_TOOLING = HexagonalRules.productCodeNeverDependsOnTooling();

    static final ArchRule LIBRARY_CODE_NEVER_BLOCKS = NOTES.libraryCodeNeverBlocks();

    static final ArchRule MAIN_CODE_NEVER_PRINTS_TO_THE_CONSOLE = HexagonalRules.mainCodeNeverPrintsToTheConsole();
}
