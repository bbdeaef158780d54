package dev.dbproxy.proxy.dataapi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.bson.BsonBinary;
import org.bson.BsonDateTime;
import org.bson.BsonDecimal128;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonObjectId;
import org.bson.types.Decimal128;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;

class DataApiFormatTest {

    @Test
    void accepting_choosesEjsonOnlyWhenAskedForFirst() {
        assertEquals(DataApiFormat.EJSON, DataApiFormat.accepting("application/ejson"));
        assertEquals(DataApiFormat.EJSON, DataApiFormat.accepting("Application/EJSON, application/json;q=0.5"));
        assertEquals(DataApiFormat.JSON, DataApiFormat.accepting("application/json, application/ejson"));
        assertEquals(DataApiFormat.JSON, DataApiFormat.accepting(""));
        assertEquals(DataApiFormat.JSON, DataApiFormat.accepting("*/*"));
    }

    @Test
    void json_writesTypesAsTheDataApiDocumentsThem() {
        BsonDocument document = new BsonDocument("Name", new org.bson.BsonString("Mango"))
                .append("Year", new BsonInt64(2022))
                .append("Weight", new BsonDecimal128(Decimal128.parse("9823.1297")))
                .append("Date", new BsonDateTime(1641954803067L))
                .append("Id", new BsonObjectId(new ObjectId("6193504e1be4ab27791c8133")))
                .append("Count", new BsonInt32(1))
                .append("Data", new BsonBinary((byte) 5, new byte[] {1, 2, 3}));

        assertEquals("{\"Name\": \"Mango\", \"Year\": 2022, \"Weight\": \"9823.1297\","
                + " \"Date\": \"2022-01-12T02:33:23.067Z\", \"Id\": \"6193504e1be4ab27791c8133\", \"Count\": 1,"
                + " \"Data\": {\"Subtype\": 5, \"Data\": \"AQID\"}}",
                document.toJson(DataApiFormat.JSON.writerSettings()));
    }
}
