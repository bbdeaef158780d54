package dev.dbproxy.architecture;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import dev.dbproxy.mongodb.errors.violation.ClassificationThatKnowsTheDomain;
import dev.dbproxy.notes.adapter.alpha.AlphaAdapterKnowingBusiness;
import dev.dbproxy.notes.adapter.alpha.AlphaAdapterUsingBeta;
import dev.dbproxy.notes.adapter.alpha.AdapterUsingTheEmbeddedDatabase;
import dev.dbproxy.notes.adapter.alpha.BlockingAdapter;
import dev.dbproxy.notes.adapter.alpha.PrintingAdapter;
import dev.dbproxy.notes.adapter.beta.BetaAdapter;
import dev.dbproxy.notes.core.violation.CoreThatKnowsMongo;
import dev.dbproxy.notes.sample.violation.BusinessHandlerUsingAdapter;
import dev.dbproxy.proxy.client.violation.ClientThatKnowsNotes;
import org.junit.jupiter.api.Test;

/**
 * Proves that every rule can fail: each is evaluated on a test-only class that breaks it on purpose (those classes
 * are excluded from {@link HexagonalArchitectureTest}, which imports main classes only).
 */
class ArchitectureRulesCatchViolationsTest {

    @Test
    void coreRule_catchesTheDomainUsingTheMongoDriver() {
        assertViolated(ArchitectureRules.CORE_DEPENDS_ONLY_ON_THE_JDK_AND_REACTOR, CoreThatKnowsMongo.class);
    }

    @Test
    void mongoDbErrorsRule_catchesTheClassificationUsingTheDomain() {
        assertViolated(ArchitectureRules.MONGODB_ERRORS_DEPEND_ONLY_ON_THE_JDK_AND_THE_DRIVER,
                ClassificationThatKnowsTheDomain.class);
    }

    @Test
    void adapterSliceRule_catchesOneAdapterUsingAnother() {
        assertViolated(ArchitectureRules.ADAPTERS_NEVER_DEPEND_ON_EACH_OTHER,
                AlphaAdapterUsingBeta.class, BetaAdapter.class);
    }

    @Test
    void adapterRule_catchesAnAdapterKnowingABusinessFunction() {
        assertViolated(ArchitectureRules.ADAPTERS_DEPEND_ON_NO_BUSINESS_FUNCTION, AlphaAdapterKnowingBusiness.class);
    }

    @Test
    void businessRule_catchesAHandlerNamingAnAdapterClass() {
        assertViolated(ArchitectureRules.BUSINESS_FUNCTIONS_NEVER_REFERENCE_AN_ADAPTER,
                BusinessHandlerUsingAdapter.class);
    }

    @Test
    void toolingRule_catchesAnAdapterUsingTheEmbeddedDatabase() {
        assertViolated(ArchitectureRules.PRODUCT_CODE_NEVER_DEPENDS_ON_TOOLING, AdapterUsingTheEmbeddedDatabase.class);
    }

    @Test
    void clientRule_catchesTheProxyClientNamingANotesType() {
        assertViolated(ArchitectureRules.THE_PROXY_CLIENT_KNOWS_NO_APPLICATION, ClientThatKnowsNotes.class);
    }

    @Test
    void blockingRule_catchesMonoBlockInAnAdapter() {
        assertViolated(ArchitectureRules.LIBRARY_CODE_NEVER_BLOCKS, BlockingAdapter.class);
    }

    @Test
    void consoleRule_catchesSystemOutInMainCode() {
        assertViolated(ArchitectureRules.MAIN_CODE_NEVER_PRINTS_TO_THE_CONSOLE, PrintingAdapter.class);
    }

    private static void assertViolated(ArchRule rule, Class<?>... classes) {
        JavaClasses imported = new ClassFileImporter().importClasses(classes);
        EvaluationResult result = rule.evaluate(imported);
        assertTrue(result.hasViolation(), "expected a violation of: " + rule.getDescription());
    }
}
