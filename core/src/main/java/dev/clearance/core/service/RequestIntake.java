package dev.clearance.core.service;

import dev.clearance.core.model.AccessDuration;
import dev.clearance.core.model.AccessRequest;
import dev.clearance.core.model.InvalidInputException;
import dev.clearance.core.model.Origin;
import dev.clearance.core.model.RateLimitedException;
import dev.clearance.core.model.RequestId;
import dev.clearance.core.model.RequestState;
import dev.clearance.core.model.ScopePath;
import dev.clearance.core.model.Status;
import dev.clearance.core.model.UserEmail;
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
import dev.clearance.core.service.AccessRequestService.IntakeResult;

import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * New requests: validates an intake, answers with the request that exists for it (a replay, an active request for the
 * same access), refuses what the limits or the provider refuse, else creates it (REQUESTED, or PENDING at once). Also
 * the "service disabled" notice, which creates nothing.
 */
final class RequestIntake {
    private final LifecycleContext ctx;
    private final Optional<AccessProvider> provider;
    private final Messages messages;
    private final PendingRounds pending;
    private final IntakeLimits limits;
    /**
     * NB: one person's intakes are counted against the limits and created one at a time (on this instance): counted
     * outside the creating transaction, intakes sent at once all passed the limits. Striped, so that different people
     * rarely wait for each other and nothing grows with the number of people.
     */
    private final Object[] intakeStripes = java.util.stream.Stream.generate(Object::new).limit(64).toArray();

    RequestIntake(LifecycleContext ctx, Optional<AccessProvider> provider, Messages messages, PendingRounds pending) {
        this.ctx = ctx;
        this.provider = provider;
        this.messages = messages;
        this.pending = pending;
        this.limits = new IntakeLimits(ctx);
    }

    IntakeResult intake(Commands.Intake cmd) {
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
        ctx.transactions().run(() -> {
            ctx.outbox().enqueue(new OutboundMessage(NotificationKind.CANNOT_GRANT, Optional.empty(), Optional.of(requester),
                    "cannot-grant:" + requester + ":" + account + ":" + policy.name() + ":" + day + ":" + requester, params));
            for (UserEmail admin : ctx.approvers().admins(scope)) {
                // NB: keyed by the person and the day, not by what they typed: ten junk accounts page an admin once.
                ctx.outbox().enqueue(new OutboundMessage(NotificationKind.ADMIN_CANNOT_GRANT, Optional.empty(),
                        Optional.of(admin), "admin-cannot-grant:" + requester + ":" + day + ":" + admin, params));
            }
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
        RequestState b = AccessRequest.builder()
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
            pending.entered(r, policy, now);
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

    /** A notice only: the service is disabled in that account, so no request is created. */
    void notifyServiceDisabled(Commands.DisabledService cmd) {
        UserEmail user = cmd.user();
        String service = Inputs.singleLine("service", Inputs.requireText("service", cmd.service(), 256));
        String account = Inputs.requireAccount(cmd.account());
        String day = java.time.LocalDate.ofInstant(ctx.now(), java.time.ZoneOffset.UTC).toString();
        ctx.transactions().run(() -> {
            // NB: at most one notice a day per person, service and account: a script retrying a denied call (or a
            // caller of this API) cannot flood a person's chat.
            ctx.outbox().enqueue(new OutboundMessage(NotificationKind.SERVICE_DISABLED, Optional.empty(),
                    Optional.of(user), "disabled:" + user + ":" + service.toLowerCase(Locale.ROOT) + ":" + account + ":" + day,
                    Map.of("service", service, "account", account)));
        });
    }

}
