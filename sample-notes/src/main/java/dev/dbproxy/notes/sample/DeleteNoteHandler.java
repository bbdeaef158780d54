package dev.dbproxy.notes.sample;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.dbproxy.notes.core.domain.NoteId;
import dev.dbproxy.notes.core.usecase.DeleteNote;
import dev.dbproxy.notes.core.port.NoteRepository;
import java.time.Clock;
import reactor.core.publisher.Mono;

/** {@code DELETE /notes/{id}}: 204, or 404 when there is no such note. */
public final class DeleteNoteHandler extends NotesHttpFunction {

    /** Used by the Lambda runtime: builds the repository named by {@code NOTES_REPOSITORY}, once per environment. */
    public DeleteNoteHandler() {
        this(NotesFunctionConfiguration.fromEnvironment(), Clock.systemUTC());
        primeForSnapshot();
    }

    /** Used by tests and by applications that compose the repository themselves. */
    public DeleteNoteHandler(NotesFunctionConfiguration configuration, Clock clock) {
        super("DELETE /notes/{id}", configuration, clock);
    }

    @Override
    protected Mono<APIGatewayV2HTTPResponse> respond(APIGatewayV2HTTPEvent event, NoteRepository notes, Clock clock) {
        NoteId id = NoteId.parse(pathParameter(event, "id"));
        return new DeleteNote(notes).execute(id).thenReturn(HttpResponses.noContent());
    }
}
