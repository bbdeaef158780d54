package dev.dbproxy.notes.sample;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.dbproxy.notes.core.domain.NoteId;
import dev.dbproxy.notes.core.port.NoteRepository;
import dev.dbproxy.notes.core.usecase.CreateNote;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import reactor.core.publisher.Mono;

/**
 * {@code POST /notes} with {@code {title, description}}: 201 with the note and its {@code Location}. With an
 * {@code Idempotency-Key} header, a retry with the same key and body answers 201 with the note the first attempt
 * stored (its id derives from the key), and the same key with another body is a 400 naming the header.
 */
public final class CreateNoteHandler extends NotesHttpFunction {

    /** Used by the Lambda runtime: builds the repository named by {@code NOTES_REPOSITORY}, once per environment. */
    public CreateNoteHandler() {
        this(NotesFunctionConfiguration.fromEnvironment(), Clock.systemUTC());
        primeForSnapshot();
    }

    /** Used by tests and by applications that compose the repository themselves. */
    public CreateNoteHandler(NotesFunctionConfiguration configuration, Clock clock) {
        super("POST /notes", configuration, clock);
    }

    @Override
    protected Mono<APIGatewayV2HTTPResponse> respond(APIGatewayV2HTTPEvent event, NoteRepository notes, Clock clock) {
        NotesJson.NoteFields fields = NotesJson.noteFields(jsonBody(event));
        CreateNote.Command command = new CreateNote.Command(fields.title(), fields.description(),
                Optional.ofNullable(header(event, NoteId.IDEMPOTENCY_KEY_FIELD)));
        return new CreateNote(notes, clock).execute(command).map(note -> HttpResponses.json(
                201, NotesJson.note(note), Map.of("Location", locationOf(event, note.id().value()))));
    }
}
