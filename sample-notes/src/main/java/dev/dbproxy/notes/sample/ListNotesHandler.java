package dev.dbproxy.notes.sample;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.dbproxy.notes.core.domain.NotePageRequest;
import dev.dbproxy.notes.core.usecase.ListNotes;
import dev.dbproxy.notes.core.port.NoteRepository;
import java.time.Clock;
import reactor.core.publisher.Mono;

/** {@code GET /notes?limit=&cursor=}: a page of notes, newest first, with the cursor of the next page. */
public final class ListNotesHandler extends NotesHttpFunction {

    /** Used by the Lambda runtime: builds the repository named by {@code NOTES_REPOSITORY}, once per environment. */
    public ListNotesHandler() {
        this(NotesFunctionConfiguration.fromEnvironment(), Clock.systemUTC());
        primeForSnapshot();
    }

    /** Used by tests and by applications that compose the repository themselves. */
    public ListNotesHandler(NotesFunctionConfiguration configuration, Clock clock) {
        super("GET /notes", configuration, clock);
    }

    @Override
    protected Mono<APIGatewayV2HTTPResponse> respond(APIGatewayV2HTTPEvent event, NoteRepository notes, Clock clock) {
        NotePageRequest request = NotePageRequest.parse(queryParameter(event, "limit"), queryParameter(event, "cursor"));
        return new ListNotes(notes).execute(request).map(page -> HttpResponses.json(200, NotesJson.page(page)));
    }
}
