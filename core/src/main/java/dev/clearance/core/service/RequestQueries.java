package dev.clearance.core.service;

import dev.clearance.core.model.AccessRequest;
import dev.clearance.core.model.InvalidInputException;
import dev.clearance.core.model.NotFoundException;
import dev.clearance.core.model.RequestId;
import dev.clearance.core.model.ScopePath;
import dev.clearance.core.model.Status;
import dev.clearance.core.model.UserEmail;
import dev.clearance.core.view.PolicyPreview;
import dev.clearance.core.policy.Approvers;
import dev.clearance.core.policy.ClearanceConfig;
import dev.clearance.core.policy.Policy;
import dev.clearance.core.policy.Scope;
import dev.clearance.core.port.AccessGrant;
import dev.clearance.core.port.AccessProvider;
import dev.clearance.core.port.GrantObstacle;
import dev.clearance.core.port.Page;
import dev.clearance.core.port.PendingFilter;
import dev.clearance.core.port.RequestQuery;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** Reads: one request, listings, and the policy dry run. */
public final class RequestQueries {
    public static final int MAX_PAGE_SIZE = 100;
    /** How far into a listing a page may start (page × size): past it, narrow the filters instead. */
    public static final long MAX_OFFSET = 1_000_000;
    private final LifecycleContext ctx;

    private final Optional<AccessProvider> provider;

    public RequestQueries(LifecycleContext ctx) {
        this(ctx, null);
    }

    /** With the access provider, so that the dry run also says when an access could not be granted. */
    public RequestQueries(LifecycleContext ctx, AccessProvider provider) {
        this.ctx = ctx;
        this.provider = Optional.ofNullable(provider);
    }

    public AccessRequest get(String requestId) {
        RequestId id = RequestId.parse(requestId);
        return ctx.store().find(id).orElseThrow(() -> new NotFoundException("no request " + id));
    }

    public Page<AccessRequest> list(Optional<String> status, Optional<String> scope, Optional<String> requester,
                                    int page, int size) {
        requirePaging(page, size);
        Set<Status> statuses = status.filter(s -> !s.isBlank()).map(RequestQueries::parseStatuses).orElse(Set.of());
        Optional<ScopePath> scopePath = scope.filter(s -> !s.isBlank()).map(s -> ScopePath.parse("scope", s));
        Optional<UserEmail> who = requester.filter(s -> !s.isBlank()).map(s -> UserEmail.parse("requester", s));
        return ctx.store().search(new RequestQuery(statuses, scopePath, who, page, size));
    }

    /**
     * What this person may do with the stored request now ({@link RequestPermissions}), whether or not they may see it:
     * an adapter explains a refused click with it. Show the request itself only if it allows
     * {@link RequestPermissions.Action#SEE}.
     */
    public RequestPermissions permissionsFor(UserEmail viewer, String requestId) {
        return permissionsFor(viewer, get(requestId));
    }

    /** What this person may do now with {@code r}, a request just read from the store. */
    public RequestPermissions permissionsFor(UserEmail viewer, AccessRequest r) {
        return RequestPermissions.of(r, viewer, ctx);
    }

    /** Why this person may not decide the request now (status, deadline, eligibility, self-approval, vote); empty if they may. */
    public Optional<String> whyCannotDecide(UserEmail viewer, AccessRequest r) {
        return permissionsFor(viewer, r).whyNot(RequestPermissions.Action.APPROVE);
    }

    /** A request as shown to a person; refused unless {@link RequestPermissions.Action#SEE} is allowed. */
    public AccessRequest getFor(UserEmail viewer, String requestId) {
        RequestPermissions p = permissionsFor(viewer, requestId);
        // NB: only those the rule lets see a request are shown it (RequestPermissions, Action.SEE).
        p.require(RequestPermissions.Action.SEE);
        return p.request();
    }

    /** Whether this person may see the request ({@link RequestPermissions.Action#SEE}). */
    public boolean canSee(UserEmail viewer, AccessRequest r) {
        return permissionsFor(viewer, r).allows(RequestPermissions.Action.SEE);
    }

    /** Which requests a listing for one person covers. */
    public enum Show {
        /** everything this person may see */
        ALL,
        /** what this person can decide now */
        WAITING_FOR_ME,
        /** this person's own requests */
        MINE
    }

    /** One page of a person's listing; {@code more} when a next page has at least one request. */
    public record VisiblePage(List<AccessRequest> items, int page, int size, boolean more) {
    }

    /** How many stored requests one listing reads at most before it stops looking (and offers a next page). */
    static final int LISTING_SCAN_LIMIT = 20_000;

    /**
     * Page {@code page} (0-based) of the requests this person may see ({@link #canSee}, the rule of {@link #getFor}),
     * newest first, narrowed by the same filters as {@link #list}.
     */
    public VisiblePage listFor(UserEmail viewer, Show show, Optional<String> status, Optional<String> scope,
                               Optional<String> requester, int page, int size) {
        requirePaging(page, size);
        Set<Status> statuses = status.filter(s -> !s.isBlank()).map(RequestQueries::parseStatuses).orElse(Set.of());
        Optional<ScopePath> scopePath = scope.filter(s -> !s.isBlank()).map(s -> ScopePath.parse("scope", s));
        Optional<UserEmail> asked = show == Show.MINE ? Optional.of(viewer)
                : requester.filter(s -> !s.isBlank()).map(s -> UserEmail.parse("requester", s));
        int skip = page * size;
        // NB: someone who approves or administers nothing may see only their own requests and decide none: the store
        // is asked for their own alone, so their page view reads what they asked for, never a scan of everyone's.
        boolean anyRole = pendingFilter(viewer).hasAnyRole();
        if (!anyRole && (show == Show.WAITING_FOR_ME || asked.filter(w -> !w.equals(viewer)).isPresent())) {
            return new VisiblePage(List.of(), page, size, false);
        }
        Optional<UserEmail> who = anyRole ? asked : Optional.of(viewer);
        List<AccessRequest> wanted = new ArrayList<>();
        if (show == Show.WAITING_FOR_ME) {
            // "pending" also holds what this person may only see (their own, an admin's view of everything open):
            // read a longer stretch of it until enough of it is theirs to decide, or it has no more
            for (int limit = skip + size + 1; ; limit = Math.min(LISTING_SCAN_LIMIT, limit * 4)) {
                wanted.clear();
                List<AccessRequest> open = pendingFor(viewer, limit);
                for (AccessRequest r : open) {
                    boolean matches = (statuses.isEmpty() || statuses.contains(r.status()))
                            && scopePath.map(p -> p.isSelfOrAncestorOf(r.scope())).orElse(true)
                            && who.map(w -> w.equals(r.requester())).orElse(true);
                    if (matches && permissionsFor(viewer, r).allows(RequestPermissions.Action.APPROVE)) {
                        wanted.add(r);
                    }
                }
                if (wanted.size() > skip + size || open.size() < limit || limit == LISTING_SCAN_LIMIT) {
                    break;
                }
            }
        } else {
            // NB: the store filters by status, scope and requester; who may see each row is decided here (SEE).
            int batch = MAX_PAGE_SIZE;
            for (int storePage = 0; storePage * batch < LISTING_SCAN_LIMIT && wanted.size() <= skip + size; storePage++) {
                Page<AccessRequest> rows = ctx.store().search(new RequestQuery(statuses, scopePath, who, storePage, batch));
                for (AccessRequest r : rows.items()) {
                    if (canSee(viewer, r)) {
                        wanted.add(r);
                    }
                }
                if (rows.items().size() < batch) {
                    break;
                }
            }
        }
        int from = Math.min(wanted.size(), skip);
        int to = Math.min(wanted.size(), skip + size);
        return new VisiblePage(List.copyOf(wanted.subList(from, to)), page, size, wanted.size() > skip + size);
    }

    /** The shared channel of {@code platform} where this request's approvals are posted, if its scope has one. */
    public Optional<String> approvalChannel(AccessRequest r, String platform) {
        return Optional.ofNullable(ctx.config().tree().approvalChannels(r.scope()).get(platform));
    }

    public record PendingPage(List<AccessRequest> items, boolean more) {
    }

    /** Page {@code page} (1-based) of {@link #pendingFor}, newest first. */
    public PendingPage pendingPage(UserEmail viewer, int page, int size) {
        List<AccessRequest> visible = pendingFor(viewer, page * size + 1);
        int from = Math.min(visible.size(), (page - 1) * size);
        return new PendingPage(visible.subList(from, Math.min(visible.size(), from + size)), visible.size() > page * size);
    }

    /** What this person sees under "pending": admins everything, approvers what they can act on, others their own. */
    public List<AccessRequest> pendingFor(UserEmail viewer, int limit) {
        Approvers approvers = ctx.approvers();
        ClearanceConfig config = ctx.config();
        Instant now = ctx.now();
        // NB: the store narrows the open requests to those this person might see (see PendingFilter); each one it
        // returns is still checked here with the same rules as a decision.
        PendingFilter filter = pendingFilter(viewer, config, approvers, now);
        int batchSize = Math.min(MAX_PAGE_SIZE, limit + 1);
        List<AccessRequest> visible = new ArrayList<>();
        Optional<PendingFilter.After> after = Optional.empty();
        while (visible.size() < limit) {
            List<AccessRequest> batch = ctx.store().pendingCandidates(filter, after, batchSize);
            for (AccessRequest r : batch) {
                if (visible.size() >= limit) {
                    break;
                }
                boolean mine = r.requester().equals(viewer);
                boolean actionable = !mine && RequestPermissions.of(r, viewer, now, config, approvers, ctx.store()::find)
                        .allows(RequestPermissions.Action.APPROVE);
                if (mine || actionable || approvers.isAdmin(viewer, r.scope())) {
                    visible.add(r);
                }
            }
            if (batch.size() < batchSize) {
                break;
            }
            AccessRequest last = batch.get(batch.size() - 1);
            after = Optional.of(new PendingFilter.After(last.createdAt(), last.id()));
        }
        return visible;
    }

    /** The store's filter for this person's "pending" listing, as of now. */
    public PendingFilter pendingFilter(UserEmail viewer) {
        return pendingFilter(viewer, ctx.config(), ctx.approvers(), ctx.now());
    }

    /**
     * Where this person has a role, from the configuration: the scopes they administer or approve at, and the policy
     * steps that name them (directly or through a group). Eligibility by escalation is covered by the approver scopes:
     * an escalation only reaches approvers of the request's scope and the scopes above it, then the admins.
     */
    static PendingFilter pendingFilter(UserEmail viewer, ClearanceConfig config, Approvers approvers, Instant now) {
        List<ScopePath> adminScopes = new ArrayList<>();
        List<ScopePath> approverScopes = new ArrayList<>();
        for (ScopePath path : config.tree().paths()) {
            Scope scope = config.tree().scope(path).orElseThrow();
            if (approvers.expand(scope.admins()).contains(viewer)) {
                adminScopes.add(path);
            }
            if (approvers.expand(scope.approvers()).contains(viewer)) {
                approverScopes.add(path);
            }
        }
        List<PendingFilter.StepRef> namedSteps = new ArrayList<>();
        Set<String> policies = new java.util.HashSet<>();
        List<Policy> all = new ArrayList<>(config.policies());
        all.add(config.defaultPolicy());
        for (Policy policy : all) {
            policies.add(policy.name());
            for (int step = 0; step < policy.steps().size(); step++) {
                if (approvers.expand(policy.step(step).approvers()).contains(viewer)) {
                    namedSteps.add(new PendingFilter.StepRef(policy.name(), step));
                }
            }
        }
        return new PendingFilter(viewer, adminScopes, approverScopes, namedSteps, policies, now);
    }

    /** The dry run: which policy applies and who would approve, without creating anything. */
    public PolicyPreview resolve(UserEmail requester, String resourceText, String accountText, Optional<String> scopeText) {
        // NB: the same rules as intake: an exact resource, a plain account, the scope of the account.
        String resource = Inputs.requireResource(resourceText);
        String account = Inputs.requireAccount(accountText);
        ClearanceConfig config = ctx.config();
        ScopePath scope = RequestScopes.of(config, account, scopeText);
        Policy policy = config.match(resource, account);
        Approvers approvers = ctx.approvers();
        List<PolicyPreview.StepPreview> steps = new ArrayList<>();
        for (int i = 0; i < policy.steps().size(); i++) {
            List<String> eligible = approvers.eligible(policy, i, scope, 0).stream()
                    .filter(a -> policy.selfApprovalAllowed() || !a.equals(requester))
                    .map(UserEmail::value).toList();
            steps.add(new PolicyPreview.StepPreview(policy.step(i).label(i), policy.step(i).required(), eligible));
        }
        boolean selfApproves = policy.selfApprovalAllowed() && approvers.eligible(policy, 0, scope, 0).contains(requester);
        Optional<String> cannotGrant = provider.flatMap(p -> p.whyCannotGrant(new AccessGrant(RequestId.random(), requester,
                        resource, account, scope, Optional.empty(), "preview", policy.name(), policy.grant())))
                .map(GrantObstacle::reason);
        return new PolicyPreview(policy.name(), policy.maxDuration(), !selfApproves && policy.justificationRequired(),
                policy.selfApprovalAllowed(),
                scope.value(), steps, cannotGrant, policy.maxTotalDuration());
    }

    private static void requirePaging(int page, int size) {
        if (page < 0) {
            throw new InvalidInputException("page", "page must be 0 or more");
        }
        if (size < 1 || size > MAX_PAGE_SIZE) {
            throw new InvalidInputException("size", "size must be between 1 and " + MAX_PAGE_SIZE);
        }
        // NB: page × size is an offset into the store; unchecked, a large page overflowed int (a 500)
        if ((long) page * size > MAX_OFFSET) {
            throw new InvalidInputException("page", "page is too far into the listing (page × size must be at most "
                    + MAX_OFFSET + "); narrow the filters instead");
        }
    }

    private static Set<Status> parseStatuses(String text) {
        Set<Status> statuses = new java.util.HashSet<>();
        for (String s : text.split(",")) {
            try {
                statuses.add(Status.valueOf(s.trim().toUpperCase(Locale.ROOT).replace('-', '_')));
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException("status", "unknown status '" + s.trim() + "'; use one of "
                        + java.util.Arrays.toString(Status.values()));
            }
        }
        return statuses;
    }
}
