package dev.clearance.app.teams;

import dev.clearance.adapters.teams.TeamsEndpoint;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/** The Bot Framework messaging endpoint. The body is read as a raw string and parsed by the Teams adapter. */
@RestController
@ConditionalOnExpression("!'${clearance.teams.app-id:}'.isBlank() or '${clearance.teams.allow-unauthenticated:false}' == 'true'")
class TeamsController {
    private final TeamsEndpoint endpoint;

    TeamsController(TeamsEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    @PostMapping(path = "/api/messages", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<String> messages(@RequestBody String body,
                                    @RequestHeader(name = "Authorization", required = false) String authorization) {
        TeamsEndpoint.Reply reply = endpoint.handle(body, authorization);
        return ResponseEntity.status(reply.status()).contentType(MediaType.APPLICATION_JSON).body(reply.body());
    }
}
