package bench.bare;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.util.UUID;

/**
 * The floor of the REST intake benchmark: a POST that parses the same JSON body as Clearance's intake and answers 201
 * with a small JSON body, doing nothing else. What Clearance adds on top (policy, store, audit, timers, outbox) is the
 * difference.
 */
@RestController
class FloorController {
    record IntakeBody(String requester, String resource, String account, String duration, String justification) {
    }

    record Created(String id, String status, String requester) {
    }

    @PostMapping("/floor/requests")
    @ResponseStatus(HttpStatus.CREATED)
    Created intake(@RequestBody IntakeBody body) {
        return new Created("REQ-" + UUID.randomUUID(), "REQUESTED", body.requester());
    }
}
