package dev.dbproxy.proxy.dataapi;

import static dev.dbproxy.proxy.dataapi.DataApiStack.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The ten CRUD examples of MongoDB's "Data API Examples" page, sent byte for byte as its {@code curl} commands send
 * them (same headers: {@code apiKey}, {@code Content-Type: application/ejson}, {@code Accept: application/json}; same
 * bodies, whitespace included), with only the base URL and the key changed, in the page's order. Each answer has the
 * shape the Data API's v1 reference documents for it. The bodies are the snippets
 * {@code source/data-api/snippets/generated-endpoints.snippet.*.sh} of the repository mongodb/docs-app-services, which
 * the page shows. Two documents the examples address by {@code _id} are stored first, as the documentation's own
 * test script does, so that every example finds what it looks for.
 */
@Timeout(60)
class DataApiDocumentExamplesIT {

    private static DataApiStack stack;

    @BeforeAll
    static void start() {
        stack = DataApiStack.start();
        stack.collection("tasks").insertMany(List.of(
                new Document("_id", new ObjectId("64224f4d089104f1766116a5")).append("status", "open")
                        .append("text", "Write the report"),
                new Document("_id", new ObjectId("64224f3cd79f54ad342dd9b2")).append("status", "open")
                        .append("text", "Walk the dog")));
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    private static JsonNode send(String action, String body) {
        HttpResponse<String> response = stack.post(action, body, "apiKey", DataApiStack.FULL_KEY,
                "Content-Type", "application/ejson", "Accept", "application/json");
        assertEquals(200, response.statusCode(), () -> action + " answered " + response.body());
        assertEquals("application/json", response.headers().firstValue("Content-Type").orElse(""));
        return json(response.body());
    }

    @Test
    void theDocumentedExamples_inTheirOrder_getTheDocumentedShapes() {
        JsonNode insertOne = send("insertOne", """
                {
                    "dataSource": "mongodb-atlas",
                    "database": "learn-data-api",
                    "collection": "tasks",
                    "document": {
                      "status": "open",
                      "text": "Do the dishes"
                    }
                  }""");
        assertEquals(1, insertOne.size());
        assertTrue(insertOne.path("insertedId").asText().matches("[0-9a-f]{24}"), insertOne.toString());

        JsonNode insertMany = send("insertMany", """
                {
                    "dataSource": "mongodb-atlas",
                    "database": "learn-data-api",
                    "collection": "tasks",
                    "documents": [
                      {
                        "status": "open",
                        "text": "Mop the floor"
                      },
                      {
                        "status": "open",
                        "text": "Clean the windows"
                      }
                    ]
                  }""");
        assertEquals(2, insertMany.path("insertedIds").size(), insertMany.toString());
        insertMany.path("insertedIds").forEach(id -> assertTrue(id.asText().matches("[0-9a-f]{24}")));

        JsonNode findOne = send("findOne", """
                {
                    "dataSource": "mongodb-atlas",
                    "database": "learn-data-api",
                    "collection": "tasks",
                    "filter": {
                      "text": "Do the dishes"
                    }
                  }""");
        assertEquals(json("{\"document\": {\"_id\": \"" + insertOne.path("insertedId").asText()
                + "\", \"status\": \"open\", \"text\": \"Do the dishes\"}}"), findOne);

        JsonNode updateOne = send("updateOne", """
                {
                    "dataSource": "mongodb-atlas",
                    "database": "learn-data-api",
                    "collection": "tasks",
                    "filter": {
                      "_id": { "$oid": "64224f4d089104f1766116a5" }
                    },
                    "update": {
                      "$set": {
                        "status": "complete",
                        "completedAt": { "$date": { "$numberLong": "1680105272788" } }
                      }
                    }
                  }""");
        assertEquals(json("{\"matchedCount\": 1, \"modifiedCount\": 1}"), updateOne);

        JsonNode find = send("find", """
                {
                    "dataSource": "mongodb-atlas",
                    "database": "learn-data-api",
                    "collection": "tasks",
                    "filter": {
                      "status": "complete"
                    },
                    "sort": { "completedAt": 1 },
                    "limit": 10
                  }""");
        assertEquals(json("{\"documents\": [{\"_id\": \"64224f4d089104f1766116a5\", \"status\": \"complete\","
                + " \"text\": \"Write the report\", \"completedAt\": \"2023-03-29T15:54:32.788Z\"}]}"), find);

        JsonNode updateMany = send("updateMany", """
                {
                    "dataSource": "mongodb-atlas",
                    "database": "learn-data-api",
                    "collection": "tasks",
                    "filter": {
                      "status": "open"
                    },
                    "update": {
                      "$set": {
                        "status": "complete",
                        "completedAt": { "$date": { "$numberLong": "1680105287069" } }
                      }
                    }
                  }""");
        assertEquals(json("{\"matchedCount\": 4, \"modifiedCount\": 4}"), updateMany);

        JsonNode replaceOne = send("replaceOne", """
                {
                    "dataSource": "mongodb-atlas",
                    "database": "learn-data-api",
                    "collection": "tasks",
                    "filter": {
                      "text": "Clean the windows"
                    },
                    "replacement": {
                      "status": "open",
                      "text": "Re-clean the windows"
                    }
                  }""");
        assertEquals(json("{\"matchedCount\": 1, \"modifiedCount\": 1}"), replaceOne);

        JsonNode aggregate = send("aggregate", """
                {
                    "dataSource": "mongodb-atlas",
                    "database": "learn-data-api",
                    "collection": "tasks",
                    "pipeline": [
                      {
                        "$match": { "status": "complete" }
                      },
                      {
                        "$group": {
                          "_id": "$status",
                          "count": { "$sum": 1 },
                          "tasks": { "$push": "$text" }
                        }
                      },
                      {
                        "$sort": { "count": -1 }
                      }
                    ]
                  }""");
        JsonNode group = aggregate.path("documents").path(0);
        assertEquals(1, aggregate.path("documents").size(), aggregate.toString());
        assertEquals("complete", group.path("_id").asText());
        assertEquals(4, group.path("count").asInt());
        assertEquals(4, group.path("tasks").size());

        JsonNode deleteOne = send("deleteOne", """
                {
                    "dataSource": "mongodb-atlas",
                    "database": "learn-data-api",
                    "collection": "tasks",
                    "filter": {
                      "_id": { "$oid": "64224f3cd79f54ad342dd9b2" }
                    }
                  }""");
        assertEquals(json("{\"deletedCount\": 1}"), deleteOne);

        JsonNode deleteMany = send("deleteMany", """
                {
                    "dataSource": "mongodb-atlas",
                    "database": "learn-data-api",
                    "collection": "tasks",
                    "filter": {
                      "status": "complete"
                    }
                  }""");
        assertEquals(json("{\"deletedCount\": 3}"), deleteMany);
        assertEquals(List.of("Re-clean the windows"), stack.collection("tasks").find()
                .map(document -> document.getString("text")).into(new ArrayList<>()));
    }
}
