package dev.clearance.core.service;

import dev.clearance.core.model.AccessRequest;
import dev.clearance.core.model.Origin;
import dev.clearance.core.model.RequestId;
import dev.clearance.core.model.UserEmail;
import dev.clearance.core.notify.NotificationKind;
import dev.clearance.core.port.TimerKind;

import java.time.Instant;
import java.util.Map;

/**
 * An early end of approved access (an admin's revoke, the requester giving it back): recorded at once, carried out by
 * the REVOKE timer ({@link ProviderTimers}).
 */
final class Revocations {
    private final LifecycleContext ctx;
    private final Messages messages;

    Revocations(LifecycleContext ctx, Messages messages) {
        this.ctx = ctx;
        this.messages = messages;
    }

    AccessRequest revoke(RequestId id, UserEmail actor, String reasonText, Origin origin) {
        String reason = Inputs.requireText("reason", reasonText, Inputs.MAX_TEXT);
        return RequestChanges.existing(ctx, id, origin, r -> {
            // NB: who may do this, and in which state, is the one rule of RequestPermissions, asked of the
            // request as stored now; a refusal changes nothing.
            RequestPermissions.of(r, actor, ctx).require(RequestPermissions.Action.REVOKE);
            begin(r, actor, ctx.now(), "revoked by " + actor + ": " + reason);
            return r;
        });
    }

    /** Ends an approved request's access; {@link RequestPermissions} has refused a revocation already underway. */
    void begin(AccessRequest r, UserEmail actor, Instant now, String reason) {
        if (r.grant().neverAttempted()) {
            // NB: no grant attempt has been claimed (ProviderTimers claims one by compare-and-swap before it calls
            // the provider), so nothing can be live at the provider: end without a revoke for a grant never made.
            r.grant().endedBeforeGranted(actor.value(), now, reason);
            ctx.store().update(r);
            ctx.timers().cancel(r.id(), TimerKind.GRANT);
            ctx.timers().cancel(r.id(), TimerKind.REVOKE);
            messages.toRequester(r, NotificationKind.ACCESS_ENDED, Map.of("reason", reason));
            messages.refreshCopies(r, "ended");
            return;
        }
        r.grant().revokeStarted(actor.value(), now, reason);
        ctx.store().update(r);
        if (r.grantAttemptInFlightSince().isPresent()) {
            // NB: a grant attempt is in flight: the end is recorded now, but the provider hears of the revoke only
            // after that attempt's outcome is recorded (ProviderTimers), which then schedules it at once. Sent now, it
            // could reach the provider before the grant and leave the access on for good.
            ctx.timers().schedule(r.id(), TimerKind.REVOKE, now.plus(ProviderTimers.RECHECK));
        } else {
            ctx.timers().schedule(r.id(), TimerKind.REVOKE, now);
        }
        messages.refreshCopies(r, "ending");
    }
}
