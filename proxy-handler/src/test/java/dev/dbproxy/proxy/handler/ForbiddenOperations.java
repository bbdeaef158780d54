package dev.dbproxy.proxy.handler;

import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/** Operations the proxy must refuse with FORBIDDEN under the test policy (database app, collections notes+archive). */
final class ForbiddenOperations {

    private ForbiddenOperations() {
    }

    /** (what is forbidden, one operation as JSON). */
    static Stream<Arguments> all() {
        return Stream.of(
                Arguments.of("$where in a find filter", HandlerInvoker.op("find", "\"filter\": {\"$where\": \"true\"}")),
                Arguments.of("$where deep inside $and", HandlerInvoker.op("find",
                        "\"filter\": {\"$and\": [{\"n\": 1}, {\"$or\": [{\"$where\": \"true\"}]}]}")),
                Arguments.of("$where in countDocuments", HandlerInvoker.op("countDocuments",
                        "\"filter\": {\"$where\": \"true\"}")),
                Arguments.of("$where in deleteMany", HandlerInvoker.op("deleteMany", "\"filter\": {\"$where\": \"true\"}")),
                Arguments.of("$where in findOne", HandlerInvoker.op("findOne", "\"filter\": {\"$where\": \"true\"}")),
                Arguments.of("$function in $expr", HandlerInvoker.op("find", """
                        "filter": {"$expr": {"$function": {"body": "function() { return true; }", "args": [],
                                                           "lang": "js"}}}""")),
                Arguments.of("$function in a projection", HandlerInvoker.op("find", """
                        "projection": {"x": {"$function": {"body": "function() { return 1; }", "args": [],
                                                          "lang": "js"}}}""")),
                Arguments.of("$function in an update pipeline", HandlerInvoker.op("updateOne", """
                        "filter": {}, "update": [{"$set": {"x": {"$function": {"body": "function() { return 1; }",
                                                                                 "args": [], "lang": "js"}}}}]""")),
                Arguments.of("$where in an update filter", HandlerInvoker.op("updateMany",
                        "\"filter\": {\"$where\": \"true\"}, \"update\": {\"$set\": {\"x\": 1}}")),
                Arguments.of("$where in a replace filter", HandlerInvoker.op("replaceOne",
                        "\"filter\": {\"$where\": \"true\"}, \"replacement\": {\"x\": 1}")),
                Arguments.of("$accumulator in $group", HandlerInvoker.op("aggregate", """
                        "pipeline": [{"$group": {"_id": null, "all": {"$accumulator": {
                            "init": "function() { return 0; }", "accumulate": "function(s) { return s; }",
                            "accumulateArgs": [], "merge": "function(a) { return a; }", "lang": "js"}}}}]""")),
                Arguments.of("$out stage", HandlerInvoker.op("aggregate", "\"pipeline\": [{\"$out\": \"archive\"}]")),
                Arguments.of("$merge stage", HandlerInvoker.op("aggregate",
                        "\"pipeline\": [{\"$match\": {}}, {\"$merge\": {\"into\": \"archive\"}}]")),
                Arguments.of("$out inside $facet", HandlerInvoker.op("aggregate",
                        "\"pipeline\": [{\"$facet\": {\"a\": [{\"$out\": \"archive\"}]}}]")),
                serverStateStage("$currentOp", "{}"),
                serverStateStage("$listSessions", "{\"allUsers\": true}"),
                serverStateStage("$listLocalSessions", "{}"),
                serverStateStage("$changeStream", "{\"fullDocument\": \"updateLookup\"}"),
                Arguments.of("$changeStream inside an allowed $lookup's pipeline", HandlerInvoker.op("aggregate", """
                        "pipeline": [{"$lookup": {"from": "archive", "as": "a",
                                                  "pipeline": [{"$changeStream": {}}]}}]""")),
                Arguments.of("$lookup from a collection outside the allowlist", HandlerInvoker.op("aggregate", """
                        "pipeline": [{"$lookup": {"from": "users", "localField": "u", "foreignField": "_id",
                                                  "as": "user"}}]""")),
                Arguments.of("$lookup from another database", HandlerInvoker.op("aggregate", """
                        "pipeline": [{"$lookup": {"from": {"db": "admin", "coll": "notes"}, "pipeline": [],
                                                  "as": "x"}}]""")),
                Arguments.of("$lookup nested in an allowed $lookup's pipeline", HandlerInvoker.op("aggregate", """
                        "pipeline": [{"$lookup": {"from": "archive", "as": "a", "pipeline": [
                            {"$lookup": {"from": "users", "pipeline": [], "as": "u"}}]}}]""")),
                Arguments.of("$lookup inside $facet", HandlerInvoker.op("aggregate", """
                        "pipeline": [{"$facet": {"x": [{"$lookup": {"from": "users", "pipeline": [], "as": "u"}}]}}]""")),
                Arguments.of("$graphLookup outside the allowlist", HandlerInvoker.op("aggregate", """
                        "pipeline": [{"$graphLookup": {"from": "users", "startWith": "$u", "connectFromField": "u",
                                                       "connectToField": "_id", "as": "g"}}]""")),
                Arguments.of("$unionWith by name outside the allowlist", HandlerInvoker.op("aggregate",
                        "\"pipeline\": [{\"$unionWith\": \"users\"}]")),
                Arguments.of("$unionWith by coll outside the allowlist", HandlerInvoker.op("aggregate",
                        "\"pipeline\": [{\"$unionWith\": {\"coll\": \"users\", \"pipeline\": []}}]")),
                Arguments.of("$out inside an allowed $unionWith's pipeline", HandlerInvoker.op("aggregate",
                        "\"pipeline\": [{\"$unionWith\": {\"coll\": \"archive\", \"pipeline\": [{\"$out\": \"x\"}]}}]")),
                Arguments.of("a database outside the allowlist",
                        "{\"action\": \"find\", \"database\": \"admin\", \"collection\": \"notes\"}"),
                Arguments.of("a collection outside the allowlist",
                        "{\"action\": \"find\", \"database\": \"app\", \"collection\": \"users\"}"));
    }

    /** An aggregate whose one stage reads server state instead of a collection. */
    private static Arguments serverStateStage(String stage, String arguments) {
        return Arguments.of(stage + " stage", HandlerInvoker.op("aggregate",
                "\"pipeline\": [{\"" + stage + "\": " + arguments + "}]"));
    }
}
