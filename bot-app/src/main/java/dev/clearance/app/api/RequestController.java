package dev.clearance.app.api;

import dev.clearance.app.security.ApiPermission;
import dev.clearance.app.security.ApiPrincipal;
import dev.clearance.core.model.AccessRequest;
import dev.clearance.core.model.RequestId;
import dev.clearance.core.model.UserEmail;
import dev.clearance.core.port.Page;
import dev.clearance.core.service.AccessRequestService;
import dev.clearance.core.service.Commands;
import dev.clearance.core.service.RequestQueries;
import dev.clearance.core.service.RequestViews;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;
import java.util.Optional;

/** The request lifecycle over HTTP: the same application services the chat adapters call. */
@RestController
@RequestMapping("/api/v1/requests")
class RequestController {
    private final AccessRequestService service;
    private final RequestQueries queries;
    private final RequestViews views;

    RequestController(AccessRequestService service, RequestQueries queries, RequestViews views) {
        this.service = service;
        this.queries = queries;
        this.views = views;
    }

    record PageJson(List<RequestJson> items, int page, int size, long total) {
    }

    /** What an intake that created nothing tells a token that may not read requests: which request it is, no more. */
    record ExistingJson(String id, boolean created) {
    }

    @PostMapping
    ResponseEntity<Object> intake(@RequestBody ApiBodies.Intake body,
                                       @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey) {
        AccessRequestService.IntakeResult result = service.intake(new Commands.Intake(UserEmail.parse("requester", body.requester()), body.resource(),
                body.account(), Optional.ofNullable(body.scope()), Optional.ofNullable(body.duration()),
                Optional.ofNullable(body.justification()), Optional.ofNullable(body.source()),
                Optional.ofNullable(idempotencyKey), ApiOrigin.current()));
        if (!result.created() && !ApiPrincipal.has(ApiPermission.READ)) {
            // NB: an intake answered with an existing request (same requester, resource and account, or a replayed
            // Idempotency-Key) would otherwise show an intake-only token what it may not read: another caller's
            // request, its justification, votes and audit trail, and whether a person holds an access now
            return ResponseEntity.ok().header("Location", "/api/v1/requests/" + result.request().id())
                    .body(new ExistingJson(result.request().id().value(), false));
        }
        // A new request is answered from what the transaction wrote (times are kept to the store's precision); reading
        // it back cost a sixth of an intake (issue 10's profile). An existing one is the stored state already.
        return ResponseEntity.status(result.created() ? HttpStatus.CREATED : HttpStatus.OK)
                .header("Location", "/api/v1/requests/" + result.request().id())
                .body(RequestJson.of(result.request(), views, true));
    }

    @GetMapping
    PageJson list(@RequestParam(required = false) String status, @RequestParam(required = false) String scope,
                  @RequestParam(required = false) String requester,
                  @RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "20") int size) {
        Page<AccessRequest> p = queries.list(Optional.ofNullable(status), Optional.ofNullable(scope),
                Optional.ofNullable(requester), page, size);
        return new PageJson(p.items().stream().map(r -> RequestJson.of(r, views, false)).toList(), p.page(), p.size(), p.total());
    }

    @GetMapping("/{id}")
    RequestJson get(@PathVariable String id) {
        return json(queries.get(id));
    }

    @PostMapping("/{id}/justification")
    RequestJson justify(@PathVariable String id, @RequestBody ApiBodies.Justification body) {
        return json(service.justify(new Commands.Justify(RequestId.parse(id), UserEmail.parse("actor", body.actor()), body.justification(),
                Optional.ofNullable(body.duration()), ApiOrigin.current())));
    }

    @PostMapping("/{id}/abandon")
    RequestJson abandon(@PathVariable String id, @RequestBody ApiBodies.Actor body) {
        return json(service.abandon(RequestId.parse(id), UserEmail.parse("actor", body.actor()), ApiOrigin.current()));
    }

    @PostMapping("/{id}/decisions")
    RequestJson decide(@PathVariable String id, @RequestBody ApiBodies.Decision body) {
        return json(service.decide(new Commands.Decide(RequestId.parse(id), UserEmail.parse("approver", body.approver()), body.decision(), body.reason(),
                Optional.ofNullable(body.duration()), ApiOrigin.current())));
    }

    @PostMapping("/{id}/cancel")
    RequestJson cancel(@PathVariable String id, @RequestBody ApiBodies.Actor body) {
        return json(service.cancel(RequestId.parse(id), UserEmail.parse("actor", body.actor()), ApiOrigin.current()));
    }

    @PostMapping("/{id}/revoke")
    RequestJson revoke(@PathVariable String id, @RequestBody ApiBodies.Revoke body) {
        return json(service.revoke(RequestId.parse(id), UserEmail.parse("actor", body.actor()), body.reason(), ApiOrigin.current()));
    }

    /** More time on an active grant: 201 with the new extension request, or 200 with the one already pending. */
    @PostMapping("/{id}/extend")
    ResponseEntity<RequestJson> extend(@PathVariable String id, @RequestBody ApiBodies.Extension body) {
        AccessRequestService.IntakeResult result = service.extend(new Commands.Extend(RequestId.parse(id), UserEmail.parse("actor", body.actor()), body.duration(),
                body.justification(), ApiOrigin.current()));
        return ResponseEntity.status(result.created() ? HttpStatus.CREATED : HttpStatus.OK)
                .header("Location", "/api/v1/requests/" + result.request().id())
                .body(json(result.request()));
    }

    private RequestJson json(AccessRequest r) {
        // the stored state, re-read: what the caller sees is what was committed
        return RequestJson.of(queries.get(r.id().value()), views, true);
    }
}
