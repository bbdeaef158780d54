package dev.dbproxy.notes.sample;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.dbproxy.notes.core.domain.NoteChanges;
import dev.dbproxy.notes.core.domain.NoteId;
import dev.dbproxy.notes.core.usecase.UpdateNote;
import dev.dbproxy.notes.core.port.NoteRepository;
import java.time.Clock;
import reactor.core.publisher.Mono;

/** {@code PUT /notes/{id}} with {@code title} and/or {@code description}: changes only the fields given. */
public final class UpdateNoteHandler extends NotesHttpFunction {

    /** Used by the Lambda runtime: builds the repository named by {@code NOTES_REPOSITORY}, once per environment. */
    public UpdateNoteHandler() {
        this(NotesFunctionConfiguration.fromEnvironment(), Clock.systemUTC());
        primeForSnapshot();
    }

    /** Used by tests and by applications that compose the repository themselves. */
    public UpdateNoteHandler(NotesFunctionConfiguration configuration, Clock clock) {
        super("PUT /notes/{id}", configuration, clock);
    }

    @Override
    protected Mono<APIGatewayV2HTTPResponse> respond(APIGatewayV2HTTPEvent event, NoteRepository notes, Clock clock) {
        NoteId id = NoteId.parse(pathParameter(event, "id"));
        NotesJson.NoteFields fields = NotesJson.noteFields(jsonBody(event));
        NoteChanges changes = NoteChanges.of(fields.title(), fields.description());
        return new UpdateNote(notes, clock).execute(id, changes).map(note -> HttpResponses.json(200, NotesJson.note(note)));
    }
}
