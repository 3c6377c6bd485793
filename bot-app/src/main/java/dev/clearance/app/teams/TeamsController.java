package dev.clearance.app.teams;

import dev.clearance.adapters.teams.TeamsEndpoint;
import dev.clearance.adapters.teams.TeamsTokenFilter;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The Bot Framework messaging endpoint. The Teams security chain ({@code TeamsWiring.teamsRequests}) has already read,
 * parsed and authenticated the activity; this hands that one to the Teams adapter.
 */
@RestController
@ConditionalOnExpression("!'${clearance.teams.app-id:}'.isBlank() or '${clearance.teams.allow-unauthenticated:false}' == 'true'")
class TeamsController {
    private final TeamsEndpoint endpoint;

    TeamsController(TeamsEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    @PostMapping(path = "/api/messages", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<String> messages(HttpServletRequest request) {
        TeamsEndpoint.Reply reply = endpoint.handle(request.getAttribute(TeamsTokenFilter.AUTHENTICATED));
        return ResponseEntity.status(reply.status()).contentType(MediaType.APPLICATION_JSON).body(reply.body());
    }
}
