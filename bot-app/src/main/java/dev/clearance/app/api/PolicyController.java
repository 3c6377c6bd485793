package dev.clearance.app.api;

import dev.clearance.core.model.UserEmail;
import dev.clearance.core.view.PolicyPreview;
import dev.clearance.core.service.RequestQueries;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;
import java.util.Optional;

@RestController
@RequestMapping("/api/v1/policies")
class PolicyController {
    private final RequestQueries queries;

    PolicyController(RequestQueries queries) {
        this.queries = queries;
    }

    record StepJson(String name, int required, List<String> approvers) {
    }

    /**
     * @param cannotGrant      why the access provider could not grant this access (a request for it is refused); null
     *                         when it can
     * @param maxTotalDuration the longest a grant and all its extensions may last together
     */
    record ResolveJson(String policy, String maxDuration, boolean justificationRequired, boolean selfApprovalAllowed,
                       String scope, List<StepJson> steps, String cannotGrant, String maxTotalDuration) {
    }

    /** Dry run: which policy applies to this access and who would approve it. Creates nothing. */
    @GetMapping("/resolve")
    ResolveJson resolve(@RequestParam(required = false) String requester, @RequestParam(required = false) String resource,
                        @RequestParam(required = false) String account, @RequestParam(required = false) String scope) {
        PolicyPreview p = queries.resolve(UserEmail.parse("requester", requester), resource, account, Optional.ofNullable(scope));
        return new ResolveJson(p.policy(), p.maxDuration().toString(), p.justificationRequired(), p.selfApprovalAllowed(),
                p.scope(), p.steps().stream().map(s -> new StepJson(s.name(), s.required(), s.approvers())).toList(),
                p.cannotGrant().orElse(null), p.maxTotalDuration().toString());
    }
}
