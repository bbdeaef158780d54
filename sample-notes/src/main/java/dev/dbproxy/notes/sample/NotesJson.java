package dev.dbproxy.notes.sample;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dbproxy.notes.core.domain.Note;
import dev.dbproxy.notes.core.domain.NotePage;
import dev.dbproxy.notes.core.error.InvalidInputException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Set;

/** The JSON shapes of the notes API: a note, a page of notes, and the strictly parsed request bodies. */
final class NotesJson {

    static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(16).build())
            // {"title":"a","title":"b"} is ambiguous (parsers disagree on which one wins): refuse it.
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build())
            // {"title":"t"}garbage is not JSON: refuse what follows the object instead of ignoring it.
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private static final Set<String> NOTE_FIELDS = Set.of("title", "description");

    private NotesJson() {
    }

    static ObjectNode note(Note note) {
        ObjectNode json = MAPPER.createObjectNode();
        json.put("id", note.id().value());
        json.put("title", note.title());
        json.put("description", note.description());
        json.put("createdAt", note.createdAt().toString());
        json.put("updatedAt", note.updatedAt().toString());
        return json;
    }

    static ObjectNode page(NotePage page) {
        ObjectNode json = MAPPER.createObjectNode();
        ArrayNode notes = json.putArray("notes");
        page.notes().forEach(note -> notes.add(note(note)));
        page.next().ifPresentOrElse(next -> json.put("nextCursor", next.encode()), () -> json.putNull("nextCursor"));
        return json;
    }

    /**
     * The {@code title} and {@code description} of a request body, either possibly {@code null} (absent).
     *
     * @throws InvalidInputException naming {@code body} when the text is not a JSON object (duplicate keys included), or naming the field that
     *                               is unknown or not a string
     */
    static NoteFields noteFields(String body) {
        JsonNode json;
        try {
            json = MAPPER.readTree(body == null ? "" : body);
        } catch (JsonProcessingException e) {
            throw new InvalidInputException("body", "is not valid JSON");
        }
        if (json == null || !json.isObject()) {
            throw new InvalidInputException("body", "must be a JSON object");
        }
        for (Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!NOTE_FIELDS.contains(name)) {
                throw new InvalidInputException(name, "is not a field of a note (allowed: title, description)");
            }
        }
        return new NoteFields(text(json, "title"), text(json, "description"));
    }

    static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String text(JsonNode json, String field) {
        JsonNode value = json.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new InvalidInputException(field, "must be a string");
        }
        return value.textValue();
    }

    /** The note fields of a request body; {@code null} where the body did not have the field. */
    record NoteFields(String title, String description) {
    }
}
