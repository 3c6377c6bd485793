package dev.clearance.core.service;

import dev.clearance.core.model.AccessDuration;
import dev.clearance.core.model.AccessRequest;
import dev.clearance.core.model.ConcurrentUpdateException;
import dev.clearance.core.model.ConflictException;
import dev.clearance.core.model.GrantState;
import dev.clearance.core.model.InvalidInputException;
import dev.clearance.core.model.NotFoundException;
import dev.clearance.core.model.Origin;
import dev.clearance.core.model.RateLimitedException;
import dev.clearance.core.model.RequestId;
import dev.clearance.core.model.ScopePath;
import dev.clearance.core.model.Status;
import dev.clearance.core.model.UserEmail;
import dev.clearance.core.model.Vote;
import dev.clearance.core.notify.NotificationKind;
import dev.clearance.core.notify.OutboundMessage;
import dev.clearance.core.policy.Approvers;
import dev.clearance.core.policy.ClearanceConfig;
import dev.clearance.core.policy.Policy;
import dev.clearance.core.port.AccessGrant;
import dev.clearance.core.port.AccessProvider;
import dev.clearance.core.port.GrantObstacle;
import dev.clearance.core.port.RequestStore.DuplicateActiveRequestException;
import dev.clearance.core.port.TimerKind;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The commands of the request lifecycle: intake, justify, abandon, decide, cancel, revoke. The REST API and the
 * chat adapters call these and nothing else. Every rule is checked against the stored request at the moment of
 * the command, never against what the caller's message said.
 */
public final class AccessRequestService {
    private static final int CAS_ATTEMPTS = 5;
    private final LifecycleContext ctx;
    private final Messages messages;
    private final Extensions extensions;
    private final IntakeLimits limits;
    /**
     * NB: one person's intakes are counted against the limits and created one at a time (on this instance): counted
     * outside the creating transaction, intakes sent at once all passed the limits. Striped, so that different people
     * rarely wait for each other and nothing grows with the number of people.
     */
    private final Object[] intakeStripes = java.util.stream.Stream.generate(Object::new).limit(64).toArray();

    private final Optional<AccessProvider> provider;

    public AccessRequestService(LifecycleContext ctx) {
        this(ctx, null);
    }

    /** With the access provider, whose {@link AccessProvider#whyCannotGrant} is asked before a request is stored. */
    public AccessRequestService(LifecycleContext ctx, AccessProvider provider) {
        this.ctx = ctx;
        this.provider = Optional.ofNullable(provider);
        this.messages = new Messages(ctx.outbox());
        this.extensions = new Extensions(ctx, messages);
        this.limits = new IntakeLimits(ctx);
    }

    public record IntakeResult(AccessRequest request, boolean created) {
    }

    // ------------------------------------------------------------------ intake

    public IntakeResult intake(Commands.Intake cmd) {
        UserEmail requester = cmd.requester();
        String resource = Inputs.requireResource(cmd.resource());
        String account = Inputs.requireAccount(cmd.account());
        Optional<String> justification = Inputs.optionalText("justification", cmd.justification(), Inputs.MAX_TEXT);
        Optional<String> source = Inputs.optionalText("source", cmd.source(), 256);
        Optional<String> idempotencyKey = Inputs.optionalText("Idempotency-Key", cmd.idempotencyKey(), 200);
        ClearanceConfig config = ctx.config();
        ScopePath scope = RequestScopes.of(config, account, cmd.scope());
        Policy policy = config.match(resource, account);
        AccessDuration duration = Inputs.requesterDuration("duration", cmd.duration(), policy);
        synchronized (intakeStripes[Math.floorMod(requester.hashCode(), intakeStripes.length)]) {
            return limitedOrCreated(cmd, requester, resource, account, justification, source, idempotencyKey, scope,
                    policy, duration);
        }
    }

    private IntakeResult limitedOrCreated(Commands.Intake cmd, UserEmail requester, String resource, String account,
                                          Optional<String> justification, Optional<String> source,
                                          Optional<String> idempotencyKey, ScopePath scope, Policy policy,
                                          AccessDuration duration) {
        Optional<RateLimitedException> limited = limits.refusal(requester, resource, account);
        if (limited.isPresent()) {
            // NB: a replay, or an access already being requested, is answered with what exists: nothing new is made.
            return new IntakeResult(idempotencyKey.flatMap(k -> ctx.store().findByIdempotencyKey(k))
                    .or(() -> ctx.store().findActive(requester, resource, account))
                    .orElseThrow(limited::get), false);
        }
        refuseWhatCannotBeGranted(requester, resource, account, scope, policy);

        try {
            return ctx.transactions().inTransaction(() -> {
                Optional<AccessRequest> replay = idempotencyKey.flatMap(k -> ctx.store().findByIdempotencyKey(k));
                if (replay.isPresent()) {
                    return new IntakeResult(replay.get(), false);
                }
                // No look for an active request first: the store's unique index on the active triple refuses a second
                // one, and the rollback undoes everything this transaction did (a lookup cost a tenth of each intake).
                return new IntakeResult(create(requester, resource, account, scope, policy, duration, justification,
                        source, idempotencyKey, cmd.origin()), true);
            });
        } catch (DuplicateActiveRequestException existing) {
            // NB: an active request for the same triple exists (or a concurrent intake won the unique index): answer
            // with it; nothing of this attempt was stored.
            return new IntakeResult(ctx.store().findActive(requester, resource, account)
                    .or(() -> idempotencyKey.flatMap(k -> ctx.store().findByIdempotencyKey(k)))
                    .orElseThrow(() -> existing), false);
        }
    }

    /**
     * Refuses, before anything is stored, an access the provider already knows it cannot grant (the requester has no
     * user there, the account is not one it can grant on): nobody should approve what cannot be granted. The
     * requester gets the reason as the error and a message (once a day per account and policy); the scope's admins get
     * a message at most once a day per requester.
     */
    private void refuseWhatCannotBeGranted(UserEmail requester, String resource, String account, ScopePath scope, Policy policy) {
        if (provider.isEmpty()) {
            return;
        }
        Optional<GrantObstacle> obstacle = provider.get().whyCannotGrant(new AccessGrant(RequestId.random(), requester,
                resource, account, scope, Optional.empty(), "preview", policy.name(), policy.grant()));
        if (obstacle.isEmpty()) {
            return;
        }
        Map<String, String> params = Map.of("requester", requester.value(), "resource", resource, "account", account,
                "reason", obstacle.get().reason());
        String day = java.time.LocalDate.ofInstant(ctx.now(), java.time.ZoneOffset.UTC).toString();
        ctx.transactions().inTransaction(() -> {
            ctx.outbox().enqueue(new OutboundMessage(NotificationKind.CANNOT_GRANT, Optional.empty(), Optional.of(requester),
                    "cannot-grant:" + requester + ":" + account + ":" + policy.name() + ":" + day + ":" + requester, params));
            for (UserEmail admin : ctx.approvers().admins(scope)) {
                // NB: keyed by the person and the day, not by what they typed: ten junk accounts page an admin once.
                ctx.outbox().enqueue(new OutboundMessage(NotificationKind.ADMIN_CANNOT_GRANT, Optional.empty(),
                        Optional.of(admin), "admin-cannot-grant:" + requester + ":" + day + ":" + admin, params));
            }
            return null;
        });
        throw new InvalidInputException(obstacle.get().field(), "cannot be granted: " + obstacle.get().reason());
    }

    private AccessRequest create(UserEmail requester, String resource, String account, ScopePath scope, Policy policy,
                                 AccessDuration duration, Optional<String> justification, Optional<String> source,
                                 Optional<String> idempotencyKey, Origin origin) {
        Instant now = ctx.now();
        Approvers approvers = ctx.approvers();
        boolean selfApproves = policy.selfApprovalAllowed()
                && approvers.eligible(policy, 0, scope, 0).contains(requester);
        // justification: off (the policy's choice): the request goes to its approvers without asking the requester why
        boolean straightToPending = selfApproves || justification.isPresent() || !policy.justificationRequired();
        AccessRequest.Builder b = AccessRequest.builder()
                .id(RequestId.random())
                .requester(requester).resource(resource).account(account).scope(scope)
                .source(source.orElse(null)).policyName(policy.name()).createdAt(now)
                .idempotencyKey(idempotencyKey.orElse(null))
                .requestedDuration(duration).justification(justification.orElse(null));
        AccessRequest r;
        if (straightToPending) {
            Instant deadline = now.plus(ctx.config().intervals().pendingWindow());
            b.status(Status.PENDING).pendingSince(now).pendingDeadline(deadline);
            r = AccessRequest.create(b, now, selfApproves
                    ? "requested; self-approval allowed by policy '" + policy.name() + "'"
                    : justification.isPresent() ? "requested with justification"
                    : "requested; policy '" + policy.name() + "' asks for no justification", origin);
            ctx.store().insert(r);
            enterPending(r, policy, now);
            if (!selfApproves) {
                messages.toRequester(r, NotificationKind.REQUEST_SUBMITTED);
            }
        } else {
            b.status(Status.REQUESTED).justificationDeadline(now.plus(ctx.config().intervals().justificationWindow()));
            r = AccessRequest.create(b, now, "requested; waiting for justification", origin);
            ctx.store().insert(r);
            ctx.timers().schedule(r.id(), TimerKind.JUSTIFICATION_EXPIRY, r.justificationDeadline().orElseThrow());
            messages.toRequester(r, NotificationKind.JUSTIFICATION_PROMPT);
        }
        return r;
    }

    /** Timers and approver pings for a request that just entered PENDING. */
    private void enterPending(AccessRequest r, Policy policy, Instant now) {
        ctx.timers().schedule(r.id(), TimerKind.PENDING_EXPIRY, r.pendingDeadline().orElseThrow());
        scheduleEscalation(r, now);
        pingStep(r, policy);
    }

    /** The current step's approvers: in the scope's approval channels when it has any, else each by direct message. */
    private void pingStep(AccessRequest r, Policy policy) {
        java.util.Map<String, String> channels = ctx.config().tree().approvalChannels(r.scope());
        if (channels.isEmpty()) {
            messages.approvalRequests(r, RequestPermissions.stepRecipients(r, policy, ctx.approvers()), "e0");
        } else {
            messages.approvalRequestsToChannels(r, channels, "e0");
        }
    }

    private void scheduleEscalation(AccessRequest r, Instant now) {
        Instant next = now.plus(ctx.config().intervals().escalationInterval());
        if (next.isBefore(r.pendingDeadline().orElseThrow())) {
            ctx.timers().schedule(r.id(), TimerKind.ESCALATION, next);
        } else {
            ctx.timers().cancel(r.id(), TimerKind.ESCALATION);
        }
    }

    // ------------------------------------------------------------------ requester

    public AccessRequest justify(Commands.Justify cmd) {
        RequestId id = cmd.requestId();
        UserEmail actor = cmd.actor();
        String justification = Inputs.requireText("justification", cmd.justification(), Inputs.MAX_TEXT);
        return change(id, cmd.origin(), r -> {
            Instant now = ctx.now();
            // NB: who may do this, and in which state, is the one rule of RequestPermissions, asked of the
            // request as stored now; a refusal changes nothing.
            RequestPermissions.of(r, actor, ctx).require(RequestPermissions.Action.JUSTIFY);
            Policy policy = policyOf(r);
            AccessDuration duration = cmd.duration().filter(d -> !d.isBlank()).isPresent()
                    ? Inputs.requesterDuration("duration", cmd.duration(), policy)
                    : r.requestedDuration();
            r.justify(justification, duration);
            r.transition(Status.PENDING, actor.value(), now, "justified; duration " + duration);
            r.startPending(now, now.plus(ctx.config().intervals().pendingWindow()));
            ctx.store().update(r);
            ctx.timers().cancel(r.id(), TimerKind.JUSTIFICATION_EXPIRY);
            enterPending(r, policy, now);
            messages.refreshCopies(r, "justified");
            return r;
        });
    }

    public AccessRequest abandon(RequestId id, UserEmail actor, Origin origin) {
        return change(id, origin, r -> {
            // NB: who may do this, and in which state, is the one rule of RequestPermissions, asked of the
            // request as stored now; a refusal changes nothing.
            RequestPermissions.of(r, actor, ctx).require(RequestPermissions.Action.ABANDON);
            r.transition(Status.ABANDONED, actor.value(), ctx.now(), "requester declined to justify");
            ctx.store().update(r);
            ctx.timers().cancel(r.id(), TimerKind.JUSTIFICATION_EXPIRY);
            messages.refreshCopies(r, "abandoned");
            return r;
        });
    }

    /** Withdraws a request that is not decided yet; on an approved one, gives the access back early. */
    public AccessRequest cancel(RequestId id, UserEmail actor, Origin origin) {
        return change(id, origin, r -> {
            Instant now = ctx.now();
            // NB: who may do this, and in which state, is the one rule of RequestPermissions, asked of the
            // request as stored now; a refusal changes nothing.
            RequestPermissions.of(r, actor, ctx).require(RequestPermissions.Action.CANCEL);
            if (r.status() == Status.APPROVED) {
                beginRevocation(r, actor, now, "relinquished by the requester");
            } else {
                r.transition(Status.CANCELLED, actor.value(), now, "withdrawn by the requester");
                ctx.store().update(r);
                cancelWaitingTimers(r);
                messages.refreshCopies(r, "cancelled");
            }
            return r;
        });
    }

    // ------------------------------------------------------------------ approvers

    public AccessRequest decide(Commands.Decide cmd) {
        RequestId id = cmd.requestId();
        UserEmail approver = cmd.approver();
        Commands.Verdict verdict = parseVerdict(cmd.decision());
        String reason = Inputs.requireText("reason", cmd.reason(), Inputs.MAX_TEXT);
        return change(id, cmd.origin(), r -> {
            Policy policy = policyOf(r);
            Optional<AccessDuration> override = verdict == Commands.Verdict.APPROVE
                    ? Inputs.approverDuration("duration", cmd.duration(), policy) : Optional.empty();
            Instant now = ctx.now();
            // NB: who may do this, and in which state, is the one rule of RequestPermissions, asked of the
            // request as stored now; a refusal changes nothing.
            RequestPermissions.of(r, approver, ctx).require(verdict == Commands.Verdict.APPROVE
                    ? RequestPermissions.Action.APPROVE : RequestPermissions.Action.DENY);
            if (verdict == Commands.Verdict.DENY) {
                deny(r, approver, reason, now);
            } else {
                approve(r, policy, approver, reason, override, now);
            }
            return r;
        });
    }

    private void deny(AccessRequest r, UserEmail approver, String reason, Instant now) {
        r.decide(approver.value(), now, reason);
        r.transition(Status.DENIED, approver.value(), now, reason);
        ctx.store().update(r);
        cancelWaitingTimers(r);
        ctx.metrics().decided("denied", Duration.between(r.pendingSince().orElse(now), now));
        messages.toRequester(r, NotificationKind.REQUEST_DENIED);
        messages.refreshCopies(r, "denied");
        if (r.isExtension()) {
            extensions.noteOnOriginal(r, approver.value(), now, "extension " + r.id() + " denied by " + approver + ": " + reason);
        }
    }

    private void approve(AccessRequest r, Policy policy, UserEmail approver, String reason,
                         Optional<AccessDuration> override, Instant now) {
        if (r.isExtension() && override.isPresent()) {
            // NB: an override on an extension has an end and fits the policy's total, refused before the vote counts.
            Extensions.requireFits("duration", override.get(), policy, extensions.original(r));
        }
        int step = r.currentStep();
        r.addVote(new Vote(step, approver, now, reason, override.orElse(null)));
        int count = r.votesAt(step).size();
        int required = policy.step(step).required();
        r.record(approver.value(), now, "approved " + policy.step(step).label(step) + " (" + count + "/" + required
                + ")" + override.map(d -> ", duration " + d).orElse("") + ": " + reason);
        if (count < required) {
            ctx.store().update(r);
            messages.refreshCopies(r, "vote-" + approver);
            return;
        }
        if (!policy.isLastStep(step)) {
            r.advanceStep();
            ctx.store().update(r);
            scheduleEscalation(r, now);
            pingStep(r, policy);
            messages.refreshCopies(r, "step-" + r.currentStep());
            return;
        }
        AccessDuration duration = r.votes().stream().map(Vote::durationOverride).filter(d -> d != null)
                .reduce((first, second) -> second).orElse(r.requestedDuration());
        if (r.isExtension()) {
            extensions.approve(r, approver, reason, duration, now);
            cancelWaitingTimers(r);
            ctx.metrics().decided("approved", Duration.between(r.pendingSince().orElse(now), now));
            messages.toRequester(r, NotificationKind.REQUEST_APPROVED);
            messages.refreshCopies(r, "approved");
            return;
        }
        r.approveFor(duration);
        r.decide(approver.value(), now, reason);
        r.transition(Status.APPROVED, approver.value(), now, "approved for " + duration + ": " + reason);
        r.grantState(GrantState.GRANTING);
        ctx.store().update(r);
        cancelWaitingTimers(r);
        ctx.timers().schedule(r.id(), TimerKind.GRANT, now);
        ctx.metrics().decided("approved", Duration.between(r.pendingSince().orElse(now), now));
        messages.toRequester(r, NotificationKind.REQUEST_APPROVED);
        messages.refreshCopies(r, "approved");
    }

    // ------------------------------------------------------------------ extensions

    /**
     * Asks for more time on an active grant: creates an extension request, decided like any request under the grant's
     * policy. Answers with the pending extension that already exists, if there is one ({@code created} false).
     */
    public IntakeResult extend(Commands.Extend cmd) {
        RequestId id = cmd.requestId();
        UserEmail actor = cmd.actor();
        String durationText = Inputs.requireText("duration", cmd.duration(), 32);
        String justification = Inputs.requireText("justification", cmd.justification(), Inputs.MAX_TEXT);
        try {
            return change(id, cmd.origin(), original -> {
                Instant now = ctx.now();
                // NB: who may do this, and in which state, is the one rule of RequestPermissions, asked of the
                // request as stored now; a refusal changes nothing.
                RequestPermissions.of(original, actor, ctx).require(RequestPermissions.Action.EXTEND);
                Policy policy = policyOf(original);
                AccessDuration duration = Inputs.extensionDuration("duration", durationText, policy, original);
                Instant end = original.expiresAt().orElseThrow();
                Optional<AccessRequest> pending = extensions.pendingOf(original.id());
                if (pending.isPresent()) {
                    return new IntakeResult(pending.get(), false);
                }
                AccessRequest extension = extensions.create(original, actor, policy, duration, justification, end, now);
                enterPending(extension, policy, now);
                messages.toRequester(extension, NotificationKind.REQUEST_SUBMITTED);
                return new IntakeResult(extension, true);
            });
        } catch (DuplicateActiveRequestException raced) {
            // NB: a concurrent extension of the same grant won the unique index; answer with it.
            return new IntakeResult(extensions.pendingOf(id).orElseThrow(() -> raced), false);
        }
    }

    // ------------------------------------------------------------------ admins

    public AccessRequest revoke(RequestId id, UserEmail actor, String reasonText, Origin origin) {
        String reason = Inputs.requireText("reason", reasonText, Inputs.MAX_TEXT);
        return change(id, origin, r -> {
            // NB: who may do this, and in which state, is the one rule of RequestPermissions, asked of the
            // request as stored now; a refusal changes nothing.
            RequestPermissions.of(r, actor, ctx).require(RequestPermissions.Action.REVOKE);
            beginRevocation(r, actor, ctx.now(), "revoked by " + actor + ": " + reason);
            return r;
        });
    }

    /** Ends an approved request's access; {@link RequestPermissions} has refused a revocation already underway. */
    private void beginRevocation(AccessRequest r, UserEmail actor, Instant now, String reason) {
        if (r.grantState() == GrantState.GRANTING && r.providerAttempts() == 0) {
            // NB: no grant attempt has been claimed (ProviderTimers claims one by compare-and-swap before it calls
            // the provider), so nothing can be live at the provider: end without a revoke for a grant never made.
            r.grantState(GrantState.NONE);
            r.transition(Status.ENDED, actor.value(), now, reason + "; ended before access was granted");
            ctx.store().update(r);
            ctx.timers().cancel(r.id(), TimerKind.GRANT);
            ctx.timers().cancel(r.id(), TimerKind.REVOKE);
            messages.toRequester(r, NotificationKind.ACCESS_ENDED, Map.of("reason", reason));
            messages.refreshCopies(r, "ended");
            return;
        }
        r.requestRevocation(reason);
        if (r.grantAttemptInFlightSince().isPresent()) {
            // NB: a grant attempt is in flight: the end is recorded now, but the provider hears of the revoke only
            // after that attempt's outcome is recorded (ProviderTimers), which then schedules it at once. Sent now, it
            // could reach the provider before the grant and leave the access on for good.
            r.record(actor.value(), now, reason + "; ending once the grant attempt in flight has answered");
            ctx.store().update(r);
            ctx.timers().schedule(r.id(), TimerKind.REVOKE, now.plus(ProviderTimers.RECHECK));
            messages.refreshCopies(r, "ending");
            return;
        }
        r.record(actor.value(), now, reason);
        ctx.store().update(r);
        ctx.timers().schedule(r.id(), TimerKind.REVOKE, now);
        messages.refreshCopies(r, "ending");
    }

    /** A notice only: the service is disabled in that account, so no request is created. */
    public void notifyServiceDisabled(Commands.DisabledService cmd) {
        UserEmail user = cmd.user();
        String service = Inputs.singleLine("service", Inputs.requireText("service", cmd.service(), 256));
        String account = Inputs.requireAccount(cmd.account());
        String day = java.time.LocalDate.ofInstant(ctx.now(), java.time.ZoneOffset.UTC).toString();
        ctx.transactions().inTransaction(() -> {
            // NB: at most one notice a day per person, service and account: a script retrying a denied call (or a
            // caller of this API) cannot flood a person's chat.
            ctx.outbox().enqueue(new OutboundMessage(NotificationKind.SERVICE_DISABLED, Optional.empty(),
                    Optional.of(user), "disabled:" + user + ":" + service.toLowerCase(Locale.ROOT) + ":" + account + ":" + day,
                    Map.of("service", service, "account", account)));
            return null;
        });
    }

    // ------------------------------------------------------------------ helpers

    /**
     * Loads, applies and stores a change; a lost compare-and-swap re-reads and applies again, so the second of
     * two racing decisions is judged against the first one's outcome ("already decided by …").
     */
    private <T> T change(RequestId id, Origin origin, Function<AccessRequest, T> mutation) {
        for (int attempt = 1; ; attempt++) {
            try {
                return ctx.transactions().inTransaction(() -> {
                    AccessRequest r = ctx.store().find(id).orElseThrow(() -> new NotFoundException("no request " + id));
                    return mutation.apply(r.actingVia(origin));
                });
            } catch (ConcurrentUpdateException lost) {
                if (attempt >= CAS_ATTEMPTS) {
                    throw new ConflictException("request " + id + " is changing too quickly; try again");
                }
            }
        }
    }

    private Policy policyOf(AccessRequest r) {
        return RequestPermissions.policyOf(ctx.config(), r);
    }

    private void cancelWaitingTimers(AccessRequest r) {
        ctx.timers().cancel(r.id(), TimerKind.JUSTIFICATION_EXPIRY);
        ctx.timers().cancel(r.id(), TimerKind.PENDING_EXPIRY);
        ctx.timers().cancel(r.id(), TimerKind.ESCALATION);
    }

    static ConflictException alreadyFinished(AccessRequest r, String what) {
        String by = r.decidedBy().map(who -> " by " + who + r.decidedAt().map(at -> " at " + at).orElse(""))
                .orElse("");
        String state = switch (r.status()) {
            case APPROVED -> "already approved" + by;
            case DENIED -> "already denied" + by;
            default -> r.status().name().toLowerCase(Locale.ROOT).replace('_', ' ');
        };
        return new ConflictException("cannot " + what + " " + r.id() + ": it is " + state);
    }

    private static Commands.Verdict parseVerdict(String decision) {
        if (decision != null) {
            String d = decision.trim().toLowerCase(Locale.ROOT);
            if (d.equals("approve")) {
                return Commands.Verdict.APPROVE;
            }
            if (d.equals("deny")) {
                return Commands.Verdict.DENY;
            }
        }
        throw new InvalidInputException("decision", "decision must be \"approve\" or \"deny\"");
    }
}
