package dev.dbproxy.proxy.client;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * How {@code find} and {@code findOne} shape their answer. Immutable: each {@code with} method returns a copy.
 * Objects are MongoDB query language in Extended JSON; do not change them after handing them over.
 *
 * @param projection the fields to return ({@code {"title": 1}}), empty for the whole documents
 * @param sort       the order ({@code {"createdAt": -1}}), empty for the database's order
 * @param limit      at most this many documents; 0 for the proxy's default ({@code PROXY_DEFAULT_FIND_LIMIT})
 * @param skip       how many matching documents to skip first
 */
public record FindOptions(ObjectNode projection, ObjectNode sort, int limit, int skip) {

    public FindOptions {
        Objects.requireNonNull(projection, "projection");
        Objects.requireNonNull(sort, "sort");
        if (limit < 0 || skip < 0) {
            throw new IllegalArgumentException("limit and skip must not be negative");
        }
    }

    /** No projection, no sort, the proxy's default limit, no skip. */
    public static FindOptions none() {
        return new FindOptions(JsonNodeFactory.instance.objectNode(), JsonNodeFactory.instance.objectNode(), 0, 0);
    }

    /** These options returning only the fields of {@code projection}. */
    public FindOptions withProjection(ObjectNode projection) {
        return new FindOptions(projection, sort, limit, skip);
    }

    /** These options in the order of {@code sort}. */
    public FindOptions withSort(ObjectNode sort) {
        return new FindOptions(projection, sort, limit, skip);
    }

    /** These options returning at most {@code limit} documents. */
    public FindOptions withLimit(int limit) {
        return new FindOptions(projection, sort, limit, skip);
    }

    /** These options skipping the first {@code skip} matching documents. */
    public FindOptions withSkip(int skip) {
        return new FindOptions(projection, sort, limit, skip);
    }
}
