package dev.clearance.core.service;

import dev.clearance.core.model.AccessDuration;
import dev.clearance.core.model.AccessRequest;
import dev.clearance.core.model.Origin;
import dev.clearance.core.model.RequestId;
import dev.clearance.core.model.Status;
import dev.clearance.core.model.UserEmail;
import dev.clearance.core.notify.NotificationKind;
import dev.clearance.core.policy.Policy;
import dev.clearance.core.port.RequestStore.DuplicateActiveRequestException;
import dev.clearance.core.port.TimerKind;
import dev.clearance.core.service.AccessRequestService.IntakeResult;

import java.time.Instant;
import java.util.Optional;

/** What a requester does with their own request: justify or abandon it, withdraw it or give access back, extend it. */
final class RequesterActions {
    private final LifecycleContext ctx;
    private final Messages messages;
    private final Extensions extensions;
    private final PendingRounds pending;
    private final Revocations revocations;

    RequesterActions(LifecycleContext ctx, Messages messages, Extensions extensions, PendingRounds pending,
                     Revocations revocations) {
        this.ctx = ctx;
        this.messages = messages;
        this.extensions = extensions;
        this.pending = pending;
        this.revocations = revocations;
    }

    AccessRequest justify(Commands.Justify cmd) {
        RequestId id = cmd.requestId();
        UserEmail actor = cmd.actor();
        String justification = Inputs.requireText("justification", cmd.justification(), Inputs.MAX_TEXT);
        return RequestChanges.existing(ctx, id, cmd.origin(), r -> {
            Instant now = ctx.now();
            // NB: who may do this, and in which state, is the one rule of RequestPermissions, asked of the
            // request as stored now; a refusal changes nothing.
            RequestPermissions.of(r, actor, ctx).require(RequestPermissions.Action.JUSTIFY);
            Policy policy = ctx.config().policyOf(r);
            AccessDuration duration = cmd.duration().filter(d -> !d.isBlank()).isPresent()
                    ? Inputs.requesterDuration("duration", cmd.duration(), policy)
                    : r.requestedDuration();
            r.justify(actor.value(), justification, duration, now, now.plus(ctx.config().intervals().pendingWindow()));
            ctx.store().update(r);
            ctx.timers().cancel(r.id(), TimerKind.JUSTIFICATION_EXPIRY);
            pending.entered(r, policy, now);
            messages.refreshCopies(r, "justified");
            return r;
        });
    }

    AccessRequest abandon(RequestId id, UserEmail actor, Origin origin) {
        return RequestChanges.existing(ctx, id, origin, r -> {
            // NB: who may do this, and in which state, is the one rule of RequestPermissions, asked of the
            // request as stored now; a refusal changes nothing.
            RequestPermissions.of(r, actor, ctx).require(RequestPermissions.Action.ABANDON);
            r.abandon(actor.value(), ctx.now());
            ctx.store().update(r);
            ctx.timers().cancel(r.id(), TimerKind.JUSTIFICATION_EXPIRY);
            messages.refreshCopies(r, "abandoned");
            return r;
        });
    }

    /** Withdraws a request that is not decided yet; on an approved one, gives the access back early. */
    AccessRequest cancel(RequestId id, UserEmail actor, Origin origin) {
        return RequestChanges.existing(ctx, id, origin, r -> {
            Instant now = ctx.now();
            // NB: who may do this, and in which state, is the one rule of RequestPermissions, asked of the
            // request as stored now; a refusal changes nothing.
            RequestPermissions.of(r, actor, ctx).require(RequestPermissions.Action.CANCEL);
            if (r.status() == Status.APPROVED) {
                revocations.begin(r, actor, now, "relinquished by the requester");
            } else {
                r.cancel(actor.value(), now, "withdrawn by the requester");
                ctx.store().update(r);
                pending.ended(r);
                messages.refreshCopies(r, "cancelled");
            }
            return r;
        });
    }

    /**
     * Asks for more time on an active grant: creates an extension request, decided like any request under the grant's
     * policy. Answers with the pending extension that already exists, if there is one ({@code created} false).
     */
    IntakeResult extend(Commands.Extend cmd) {
        RequestId id = cmd.requestId();
        UserEmail actor = cmd.actor();
        String durationText = Inputs.requireText("duration", cmd.duration(), 32);
        String justification = Inputs.requireText("justification", cmd.justification(), Inputs.MAX_TEXT);
        try {
            return RequestChanges.existing(ctx, id, cmd.origin(), original -> {
                Instant now = ctx.now();
                // NB: who may do this, and in which state, is the one rule of RequestPermissions, asked of the
                // request as stored now; a refusal changes nothing.
                RequestPermissions.of(original, actor, ctx).require(RequestPermissions.Action.EXTEND);
                Policy policy = ctx.config().policyOf(original);
                AccessDuration duration = Inputs.extensionDuration("duration", durationText, policy, original);
                Instant end = original.expiresAt().orElseThrow();
                Optional<AccessRequest> waiting = extensions.pendingOf(original.id());
                if (waiting.isPresent()) {
                    return new IntakeResult(waiting.get(), false);
                }
                AccessRequest extension = extensions.create(original, actor, policy, duration, justification, end, now);
                pending.entered(extension, policy, now);
                messages.toRequester(extension, NotificationKind.REQUEST_SUBMITTED);
                return new IntakeResult(extension, true);
            });
        } catch (DuplicateActiveRequestException raced) {
            // NB: a concurrent extension of the same grant won the unique index; answer with it.
            return new IntakeResult(extensions.pendingOf(id).orElseThrow(() -> raced), false);
        }
    }
}
