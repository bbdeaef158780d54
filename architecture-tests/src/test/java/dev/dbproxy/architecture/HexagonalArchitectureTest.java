package dev.dbproxy.architecture;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** Checks the rules of {@link ArchitectureRules} on the main classes of every module. */
@AnalyzeClasses(packages = "dev.dbproxy", importOptions = ImportOption.DoNotIncludeTests.class)
class HexagonalArchitectureTest {

    @ArchTest
    static final ArchRule core_depends_only_on_the_jdk_and_reactor =
            ArchitectureRules.CORE_DEPENDS_ONLY_ON_THE_JDK_AND_REACTOR;

    @ArchTest
    static final ArchRule mongodb_errors_depend_only_on_the_jdk_and_the_driver =
            ArchitectureRules.MONGODB_ERRORS_DEPEND_ONLY_ON_THE_JDK_AND_THE_DRIVER;

    @ArchTest
    static final ArchRule adapters_never_depend_on_each_other = ArchitectureRules.ADAPTERS_NEVER_DEPEND_ON_EACH_OTHER;

    @ArchTest
    static final ArchRule adapters_depend_on_no_business_function =
            ArchitectureRules.ADAPTERS_DEPEND_ON_NO_BUSINESS_FUNCTION;

    @ArchTest
    static final ArchRule business_functions_never_reference_an_adapter =
            ArchitectureRules.BUSINESS_FUNCTIONS_NEVER_REFERENCE_AN_ADAPTER;

    @ArchTest
    static final ArchRule product_code_never_depends_on_tooling = ArchitectureRules.PRODUCT_CODE_NEVER_DEPENDS_ON_TOOLING;

    @ArchTest
    static final ArchRule the_proxy_client_knows_no_application = ArchitectureRules.THE_PROXY_CLIENT_KNOWS_NO_APPLICATION;

    @ArchTest
    static final ArchRule library_code_never_blocks = ArchitectureRules.LIBRARY_CODE_NEVER_BLOCKS;

    @ArchTest
    static final ArchRule the_proxy_client_never_blocks = ArchitectureRules.THE_PROXY_CLIENT_NEVER_BLOCKS;

    @ArchTest
    static final ArchRule main_code_never_prints_to_the_console = ArchitectureRules.MAIN_CODE_NEVER_PRINTS_TO_THE_CONSOLE;
}
