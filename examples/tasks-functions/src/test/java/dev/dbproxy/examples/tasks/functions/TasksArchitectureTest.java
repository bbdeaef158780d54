package dev.dbproxy.examples.tasks.functions;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import dev.dbproxy.architecture.rules.HexagonLayout;
import dev.dbproxy.architecture.rules.HexagonalRules;

/** The project's rules ({@link HexagonalRules}, as architecture-tests checks the notes) on the example's packages. */
@AnalyzeClasses(packages = "dev.dbproxy.examples", importOptions = ImportOption.DoNotIncludeTests.class)
class TasksArchitectureTest {

    private static final HexagonalRules TASKS = HexagonalRules.of(new HexagonLayout("dev.dbproxy.examples.tasks.core",
            "dev.dbproxy.examples.tasks.adapter", "dev.dbproxy.examples.tasks.functions", "TASKS_REPOSITORY"));

    @ArchTest
    static final ArchRule core_depends_only_on_the_jdk_and_reactor = TASKS.coreDependsOnlyOnTheJdkAndReactor();

    @ArchTest
    static final ArchRule adapters_never_depend_on_each_other = TASKS.adaptersNeverDependOnEachOther();

    @ArchTest
    static final ArchRule adapters_depend_on_no_business_function = TASKS.adaptersDependOnNoBusinessFunction();

    @ArchTest
    static final ArchRule business_functions_never_reference_an_adapter =
            TASKS.businessFunctionsNeverReferenceAnAdapter();

    @ArchTest
    static final ArchRule product_code_never_depends_on_tooling = HexagonalRules.productCodeNeverDependsOnTooling();

    @ArchTest
    static final ArchRule library_code_never_blocks = TASKS.libraryCodeNeverBlocks();

    @ArchTest
    static final ArchRule main_code_never_prints_to_the_console = HexagonalRules.mainCodeNeverPrintsToTheConsole();
}
