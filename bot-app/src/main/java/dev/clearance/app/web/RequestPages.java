package dev.clearance.app.web;

import dev.clearance.app.errors.Refusals;
import dev.clearance.core.model.AccessRequest;
import dev.clearance.core.model.ClearanceException;
import dev.clearance.core.model.InvalidInputException;
import dev.clearance.core.model.Origin;
import dev.clearance.core.model.RequestId;
import dev.clearance.core.model.Status;
import dev.clearance.core.model.UserEmail;
import dev.clearance.core.view.PolicyPreview;
import dev.clearance.core.view.RequestView;
import dev.clearance.core.service.AccessRequestService;
import dev.clearance.core.service.Commands;
import dev.clearance.core.service.RequestPermissions;
import dev.clearance.core.service.RequestPermissions.Action;
import dev.clearance.core.service.RequestQueries;
import dev.clearance.core.service.RequestViews;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.http.HttpHeaders;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The requests web page: where a click in a browser becomes a domain decision. Every action goes through the same
 * application services as Slack, Teams and the REST API, which re-check the rules against the stored state; a page
 * that is out of date shows why its action was refused instead of acting on what it showed.
 */
@Controller
@ConditionalOnExpression(WebSecurityConfiguration.WEB_PAGE_ON)
class RequestPages {
    static final int PAGE_SIZE = 25;
    private final AccessRequestService service;
    private final RequestQueries queries;
    private final RequestViews views;

    RequestPages(AccessRequestService service, RequestQueries queries, RequestViews views) {
        this.service = service;
        this.queries = queries;
        this.views = views;
    }

    /** The signed-in person: the verified email the identity provider vouched for (see WebSecurityConfiguration). */
    private static UserEmail person(OidcUser user) {
        return UserEmail.parse("email", user.getEmail());
    }

    /** NB: the web page's origin is the identity provider's subject of the signed-in person, never a form field. */
    private static Origin origin(OidcUser user) {
        return Origin.web(user.getSubject());
    }

    /** One row of the list. */
    record Row(RequestView view, String approvers) {
    }

    @GetMapping("/")
    String list(@AuthenticationPrincipal OidcUser user, @RequestParam(defaultValue = "all") String show,
                @RequestParam(required = false) String status, @RequestParam(required = false) String scope,
                @RequestParam(required = false) String requester, @RequestParam(defaultValue = "0") int page,
                Model model, HttpServletResponse response) {
        UserEmail me = person(user);
        model.addAttribute("me", me.value());
        model.addAttribute("show", show);
        model.addAttribute("status", status == null ? "" : status);
        model.addAttribute("scope", scope == null ? "" : scope);
        model.addAttribute("requester", requester == null ? "" : requester);
        model.addAttribute("statuses", Arrays.stream(Status.values()).map(Enum::name).toList());
        try {
            RequestQueries.VisiblePage visible = queries.listFor(me, parseShow(show), Optional.ofNullable(status),
                    Optional.ofNullable(scope), Optional.ofNullable(requester), page, PAGE_SIZE);
            model.addAttribute("rows", visible.items().stream().map(this::row).toList());
            model.addAttribute("page", visible.page());
            model.addAttribute("more", visible.more());
        } catch (InvalidInputException e) {
            response.setStatus(Refusals.status(e).value());
            model.addAttribute("error", refusal(e));
            model.addAttribute("rows", List.of());
            model.addAttribute("page", 0);
            model.addAttribute("more", false);
        }
        return "list";
    }

    private static RequestQueries.Show parseShow(String show) {
        return switch (show) {
            case "waiting" -> RequestQueries.Show.WAITING_FOR_ME;
            case "mine" -> RequestQueries.Show.MINE;
            case "all", "" -> RequestQueries.Show.ALL;
            default -> throw new InvalidInputException("show", "show must be all, waiting or mine");
        };
    }

    private Row row(AccessRequest r) {
        RequestView v = views.of(r);
        String approvers = v.status() == Status.PENDING ? String.join(", ", v.canDecideNow()) : "";
        return new Row(v, approvers);
    }

    @GetMapping("/requests/{id}")
    String request(@AuthenticationPrincipal OidcUser user, @PathVariable String id, Model model,
                   HttpServletResponse response) {
        return show(person(user), id, model, response);
    }

    /** The request page, with the actions this person may take now; an error of a refused action on top. */
    private String show(UserEmail me, String id, Model model, HttpServletResponse response) {
        model.addAttribute("me", me.value());
        RequestPermissions may;
        try {
            may = queries.permissionsFor(me, id);
            may.require(Action.SEE);
        } catch (ClearanceException e) {
            response.setStatus(Refusals.status(e).value());
            model.addAttribute("error", e.getMessage());
            return "refused";
        }
        // NB: the actions offered are exactly those the rule allows now (RequestPermissions), the same rule each
        // action's service re-checks when the form is sent.
        AccessRequest r = may.request();
        RequestView v = views.of(r);
        Set<Action> allowed = may.allowed();
        model.addAttribute("r", v);
        model.addAttribute("mayJustify", allowed.contains(Action.JUSTIFY));
        model.addAttribute("mayDecide", allowed.contains(Action.APPROVE) || allowed.contains(Action.DENY));
        model.addAttribute("whyNotDecide", r.status() == Status.PENDING && !r.requester().equals(me)
                ? may.whyNot(Action.APPROVE).orElse("") : "");
        model.addAttribute("mayCancel", allowed.contains(Action.CANCEL));
        model.addAttribute("mayRevoke", allowed.contains(Action.REVOKE));
        model.addAttribute("durations", v.durationChoices().stream().map(Object::toString).toList());
        model.addAttribute("requested", v.requestedDuration().toString());
        return "request";
    }

    @PostMapping("/requests/{id}/justify")
    String justify(@AuthenticationPrincipal OidcUser user, @PathVariable String id, @RequestParam(defaultValue = "") String justification,
                   @RequestParam(required = false) String duration, Model model, HttpServletResponse response,
                   RedirectAttributes redirect) {
        UserEmail me = person(user);
        return act(me, id, model, response, redirect, "Justification sent: the request is waiting for approval.",
                () -> service.justify(new Commands.Justify(RequestId.parse(id), me, justification, Optional.ofNullable(duration),
                        origin(user))));
    }

    @PostMapping("/requests/{id}/decide")
    String decide(@AuthenticationPrincipal OidcUser user, @PathVariable String id, @RequestParam(defaultValue = "") String decision,
                  @RequestParam(defaultValue = "") String reason, @RequestParam(required = false) String duration,
                  Model model, HttpServletResponse response, RedirectAttributes redirect) {
        UserEmail me = person(user);
        String done = "approve".equals(decision) ? "Approved." : "Denied.";
        return act(me, id, model, response, redirect, done, () -> service.decide(new Commands.Decide(RequestId.parse(id), me, decision,
                reason, Optional.ofNullable(duration).filter(d -> !d.isBlank()), origin(user))));
    }

    @PostMapping("/requests/{id}/cancel")
    String cancel(@AuthenticationPrincipal OidcUser user, @PathVariable String id, Model model,
                  HttpServletResponse response, RedirectAttributes redirect) {
        UserEmail me = person(user);
        return act(me, id, model, response, redirect, "Cancelled.", () -> service.cancel(RequestId.parse(id), me, origin(user)));
    }

    @PostMapping("/requests/{id}/revoke")
    String revoke(@AuthenticationPrincipal OidcUser user, @PathVariable String id, @RequestParam(defaultValue = "") String reason,
                  Model model, HttpServletResponse response, RedirectAttributes redirect) {
        UserEmail me = person(user);
        return act(me, id, model, response, redirect, "Revocation started: the access is being taken away.",
                () -> service.revoke(RequestId.parse(id), me, reason, origin(user)));
    }

    /**
     * Runs one action. Done: back to the request page (post, redirect, get), with a notice. Refused: the request page
     * as it is now, with why, and a 4xx status; nothing changed.
     */
    private String act(UserEmail me, String id, Model model, HttpServletResponse response, RedirectAttributes redirect,
                       String done, Runnable action) {
        try {
            action.run();
        } catch (ClearanceException e) {
            String page = show(me, id, model, response);
            response.setStatus(Refusals.status(e).value());
            model.addAttribute("error", refusal(e));
            return page;
        }
        redirect.addFlashAttribute("notice", done);
        return "redirect:/requests/" + id;
    }

    /** Why an action was refused, as the page shows it: bad input names its field. */
    private static String refusal(ClearanceException e) {
        return e instanceof InvalidInputException invalid ? invalid.field() + ": " + e.getMessage() : e.getMessage();
    }

    /** What the new-request form holds. No scope: it follows from the account (the dry run shows it). */
    record Draft(String resource, String account, String duration, String justification) {
        static Draft empty() {
            return new Draft("", "", "", "");
        }
    }

    @GetMapping("/requests/new")
    String newRequest(@AuthenticationPrincipal OidcUser user, Model model) {
        model.addAttribute("me", person(user).value());
        model.addAttribute("draft", Draft.empty());
        return "new";
    }

    /** "Check" shows the policy dry run for what was typed; "Request access" creates it. */
    @PostMapping("/requests/new")
    String submit(@AuthenticationPrincipal OidcUser user, @RequestParam(defaultValue = "") String resource,
                  @RequestParam(defaultValue = "") String account, @RequestParam(defaultValue = "") String duration, @RequestParam(defaultValue = "") String justification,
                  @RequestParam(defaultValue = "preview") String action, Model model, HttpServletResponse response,
                  RedirectAttributes redirect) {
        UserEmail me = person(user);
        Draft draft = new Draft(resource.strip(), account.strip(), duration.strip(), justification.strip());
        model.addAttribute("me", me.value());
        model.addAttribute("draft", draft);
        try {
            PolicyPreview preview = queries.resolve(me, draft.resource(), draft.account(), Optional.empty());
            model.addAttribute("preview", preview);
            model.addAttribute("durations", dev.clearance.core.model.AccessDuration.menuUpTo(preview.maxDuration())
                    .stream().map(Object::toString).toList());
            if (!"submit".equals(action)) {
                return "new";
            }
            AccessRequestService.IntakeResult result = service.intake(new Commands.Intake(me, draft.resource(),
                    draft.account(), Optional.empty(), Optional.of(draft.duration()).filter(s -> !s.isEmpty()),
                    Optional.of(draft.justification()).filter(s -> !s.isEmpty()), Optional.of("web"), Optional.empty(),
                    origin(user)));
            redirect.addFlashAttribute("notice", result.created() ? "Request " + result.request().id() + " created."
                    : "You already have this request open: " + result.request().id() + ".");
            return "redirect:/requests/" + result.request().id();
        } catch (ClearanceException e) {
            response.setStatus(Refusals.status(e).value());
            Refusals.retryAfter(e).ifPresent(seconds -> response.setHeader(HttpHeaders.RETRY_AFTER, seconds));
            model.addAttribute("error", refusal(e));
            return "new";
        }
    }
}
