package dev.dbproxy.proxy.handler;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dbproxy.proxy.protocol.ErrorCode;
import dev.dbproxy.proxy.protocol.ProxyAction;
import dev.dbproxy.proxy.protocol.ProxyOperation;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ProxyPolicyTest {

    private static final ProxyPolicy POLICY =
            new ProxyPolicy("app", Set.of("notes", "archive"), EnumSet.allOf(ProxyAction.class));

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.dbproxy.proxy.handler.ForbiddenOperations#all")
    void check_refusesWithForbidden(String what, String operation) {
        OperationFailedException refused = assertThrows(OperationFailedException.class,
                () -> POLICY.check(parse(operation)));

        assertEquals(ErrorCode.FORBIDDEN, refused.error().code());
        assertEquals(false, refused.error().retryable());
    }

    @Test
    void forbiddenOperationsTable_triesEveryAlwaysForbiddenOperator() {
        List<String> operations = ForbiddenOperations.all().map(arguments -> (String) arguments.get()[1]).toList();

        for (String operator : ProxyPolicy.ALWAYS_FORBIDDEN_OPERATORS) {
            assertTrue(operations.stream().anyMatch(operation -> operation.contains("\"" + operator + "\"")),
                    () -> operator + " has no entry in ForbiddenOperations");
        }
    }

    @Test
    void check_allowsLookupsAndUnionsWithinTheAllowlist() {
        assertDoesNotThrow(() -> POLICY.check(parse(HandlerInvoker.op("aggregate", """
                "pipeline": [{"$lookup": {"from": "archive", "localField": "a", "foreignField": "_id", "as": "x"}},
                             {"$unionWith": {"coll": "archive", "pipeline": [{"$match": {}}]}},
                             {"$unionWith": "notes"},
                             {"$lookup": {"from": {"db": "app", "coll": "archive"}, "pipeline": [], "as": "y"}},
                             {"$lookup": {"pipeline": [{"$documents": [{"a": 1}]}], "as": "z"}},
                             {"$graphLookup": {"from": "notes", "startWith": "$p", "connectFromField": "p",
                                               "connectToField": "_id", "as": "g"}}]"""))));
    }

    @Test
    void check_refusesAnActionOutsideTheAllowlist_namingTheAllowedOnes() {
        ProxyPolicy readOnly = new ProxyPolicy("app", Set.of("notes"), EnumSet.of(ProxyAction.FIND));

        OperationFailedException refused = assertThrows(OperationFailedException.class, () -> readOnly.check(parse(
                HandlerInvoker.op("insertOne", "\"document\": {\"_id\": 1}"))));

        assertEquals(ErrorCode.FORBIDDEN, refused.error().code());
        assertTrue(refused.error().message().contains("insertOne"));
        assertTrue(refused.error().message().contains("[find]"));
    }

    @Test
    void check_doesNotTreatInsertedDataAsOperators() {
        assertDoesNotThrow(() -> POLICY.check(parse(HandlerInvoker.op("insertOne",
                "\"document\": {\"_id\": 1, \"text\": \"$where is just text\"}"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("documentsWithOperatorFieldNames")
    void check_refusesDollarPrefixedFieldNamesInStoredDocuments_withValidation(String what, String operation) {
        OperationFailedException refused = assertThrows(OperationFailedException.class,
                () -> POLICY.check(parse(operation)));

        assertEquals(ErrorCode.VALIDATION, refused.error().code(), what);
        assertTrue(refused.error().message().contains("may not start with '$'"), refused.error().message());
    }

    static Stream<Arguments> documentsWithOperatorFieldNames() {
        return Stream.of(
                Arguments.of("operator object as the _id of insertOne",
                        HandlerInvoker.op("insertOne", "\"document\": {\"_id\": {\"$ne\": null}}")),
                Arguments.of("top-level $set in insertOne",
                        HandlerInvoker.op("insertOne", "\"document\": {\"_id\": 1, \"$set\": {\"a\": 1}}")),
                Arguments.of("operator deep in an array of insertMany", HandlerInvoker.op("insertMany",
                        "\"documents\": [{\"_id\": 1}, {\"_id\": 2, \"tags\": [{\"$gt\": \"\"}]}]")),
                Arguments.of("type key mixed with an operator", HandlerInvoker.op("insertOne",
                        "\"document\": {\"_id\": {\"$oid\": \"0123456789abcdef01234567\", \"$ne\": 1}}")),
                Arguments.of("operator inside the _id of replaceOne", HandlerInvoker.op("replaceOne",
                        "\"filter\": {\"_id\": 1}, \"replacement\": {\"_id\": {\"$gt\": \"\"}}")));
    }

    @Test
    void check_allowsExtendedJsonValuesInStoredDocuments() {
        assertDoesNotThrow(() -> POLICY.check(parse(HandlerInvoker.op("insertOne", """
                "document": {"_id": {"$oid": "0123456789abcdef01234567"},
                             "at": {"$date": {"$numberLong": "1700000000000"}},
                             "n": {"$numberLong": "5"}, "nested": [{"d": {"$numberDecimal": "1.5"}}]}"""))));
    }

    @Test
    void fromEnv_readsCommaSeparatedLists() {
        ProxyPolicy policy = ProxyPolicy.fromEnv(Map.of(
                DbProxySettings.PROXY_ALLOWED_DATABASE, "app",
                DbProxySettings.PROXY_ALLOWED_COLLECTIONS, " notes , archive,",
                DbProxySettings.PROXY_ALLOWED_ACTIONS, "find, findOne"));

        assertEquals(new ProxyPolicy("app", Set.of("notes", "archive"),
                EnumSet.of(ProxyAction.FIND, ProxyAction.FIND_ONE)), policy);
    }

    @Test
    void fromEnv_deniesByDefault_failingFastWhenAListIsMissing() {
        InvalidProxySettingsException missing = assertThrows(InvalidProxySettingsException.class,
                () -> ProxyPolicy.fromEnv(Map.of(DbProxySettings.PROXY_ALLOWED_DATABASE, "app",
                        DbProxySettings.PROXY_ALLOWED_COLLECTIONS, "notes")));

        assertTrue(missing.getMessage().contains(DbProxySettings.PROXY_ALLOWED_ACTIONS));
    }

    @Test
    void fromEnv_refusesAnUnknownAction_listingTheKnownOnes() {
        InvalidProxySettingsException unknown = assertThrows(InvalidProxySettingsException.class,
                () -> ProxyPolicy.fromEnv(Map.of(DbProxySettings.PROXY_ALLOWED_DATABASE, "app",
                        DbProxySettings.PROXY_ALLOWED_COLLECTIONS, "notes",
                        DbProxySettings.PROXY_ALLOWED_ACTIONS, "find,drop")));

        assertTrue(unknown.getMessage().contains("drop"));
        assertTrue(unknown.getMessage().contains("countDocuments"));
    }

    private static ProxyOperation parse(String operation) {
        return HandlerInvoker.CODEC.readRequest(HandlerInvoker.request(operation).getBytes(StandardCharsets.UTF_8))
                .operations().getFirst();
    }
}
