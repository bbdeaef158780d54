package dev.dbproxy.notes.sample;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.dbproxy.notes.core.domain.NoteId;
import dev.dbproxy.notes.core.usecase.GetNote;
import dev.dbproxy.notes.core.port.NoteRepository;
import java.time.Clock;
import reactor.core.publisher.Mono;

/** {@code GET /notes/{id}}: one note, or 404. */
public final class GetNoteHandler extends NotesHttpFunction {

    /** Used by the Lambda runtime: builds the repository named by {@code NOTES_REPOSITORY}, once per environment. */
    public GetNoteHandler() {
        this(NotesFunctionConfiguration.fromEnvironment(), Clock.systemUTC());
        primeForSnapshot();
    }

    /** Used by tests and by applications that compose the repository themselves. */
    public GetNoteHandler(NotesFunctionConfiguration configuration, Clock clock) {
        super("GET /notes/{id}", configuration, clock);
    }

    @Override
    protected Mono<APIGatewayV2HTTPResponse> respond(APIGatewayV2HTTPEvent event, NoteRepository notes, Clock clock) {
        NoteId id = NoteId.parse(pathParameter(event, "id"));
        return new GetNote(notes).execute(id).map(note -> HttpResponses.json(200, NotesJson.note(note)));
    }
}
