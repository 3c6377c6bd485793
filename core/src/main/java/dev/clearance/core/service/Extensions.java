package dev.clearance.core.service;

import dev.clearance.core.model.AccessDuration;
import dev.clearance.core.model.AccessRequest;
import dev.clearance.core.model.AuditEvent;
import dev.clearance.core.model.ConflictException;
import dev.clearance.core.model.InvalidInputException;
import dev.clearance.core.model.RequestId;
import dev.clearance.core.model.RequestState;
import dev.clearance.core.model.Status;
import dev.clearance.core.model.UserEmail;
import dev.clearance.core.policy.Policy;
import dev.clearance.core.port.TimerKind;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Extension requests: a request for more time on an active grant, decided under the grant's policy. Approved, it moves
 * the end of the original grant (its REVOKE timer is rescheduled: access is never revoked and granted again); denied
 * or unanswered, the grant ends on time. An extension never grants anything itself and ends with the original.
 */
final class Extensions {
    private final LifecycleContext ctx;
    private final Messages messages;

    Extensions(LifecycleContext ctx, Messages messages) {
        this.ctx = ctx;
        this.messages = messages;
    }

    /**
     * How much longer {@code original}'s grant may still be extended under {@code policy}'s total
     * ({@code max-total-duration}, counted from when access was granted); empty when the total is until revoked or
     * the grant has no end.
     */
    static Optional<Duration> room(Policy policy, AccessRequest original) {
        if (original.expiresAt().isEmpty()) {
            return Optional.empty();
        }
        // Not yet marked granted (it should be, when active): count from its creation, which leaves less, not more.
        Instant start = original.grantedAt().orElse(original.createdAt());
        return policy.remainingTotal(start, original.expiresAt().get());
    }

    /** What a requester may ask an extension for: the menu entries with an end, up to the policy's max and the room. */
    static List<AccessDuration> choices(Policy policy, Optional<Duration> room) {
        return AccessDuration.menuUpTo(policy.maxDuration()).stream()
                .filter(d -> d.duration().isPresent())
                .filter(d -> room.map(left -> d.duration().get().compareTo(left) <= 0).orElse(true))
                .toList();
    }

    /**
     * NB: an extension always has an end and, added to the grant, stays within the policy's total: until revoked,
     * or more than is left, is refused naming {@code field}, before anything changes.
     */
    static void requireFits(String field, AccessDuration duration, Policy policy, AccessRequest original) {
        if (duration.isUntilRevoked()) {
            throw new InvalidInputException(field, "an extension cannot be until revoked: give it a length, at most "
                    + policy.maxDuration() + " (policy '" + policy.name() + "')");
        }
        Optional<Duration> left = room(policy, original);
        if (left.isPresent() && duration.duration().get().compareTo(left.get()) > 0) {
            throw new InvalidInputException(field, duration + " is more than is left: policy '" + policy.name()
                    + "' allows a grant and its extensions " + policy.maxTotalDuration().describe() + " in total, and "
                    + original.id() + " can be extended by " + (left.get().compareTo(AccessDuration.SHORTEST) < 0
                    ? "nothing more" : "at most " + AccessDuration.words(left.get())));
        }
    }

    /** The end of {@code original}'s grant, if it can be extended now; else why not. */
    Instant requireExtendable(AccessRequest original, Instant now) {
        return RequestPermissions.extendableUntil(original, now);
    }

    AccessRequest original(AccessRequest extension) {
        RequestId id = extension.extensionOf().orElseThrow();
        return ctx.store().find(id).orElseThrow(() -> new ConflictException("the request " + extension.id()
                + " extends (" + id + ") is gone")).actingVia(extension.acting().orElse(null));
    }

    Optional<AccessRequest> pendingOf(RequestId original) {
        return ctx.store().findExtensionsOf(original).stream().filter(e -> e.status() == Status.PENDING).findFirst();
    }

    /** Stores a new pending extension of {@code original}, which ends at {@code end}, and notes it on the original. */
    AccessRequest create(AccessRequest original, UserEmail actor, Policy policy, AccessDuration duration,
                         String justification, Instant end, Instant now) {
        Instant pendingDeadline = now.plus(ctx.config().intervals().pendingWindow());
        // An extension decided after the grant ended would extend nothing: it expires with the grant.
        if (end.isBefore(pendingDeadline)) {
            pendingDeadline = end;
        }
        RequestState b = AccessRequest.builder()
                .id(RequestId.random()).extensionOf(original.id())
                .requester(original.requester()).resource(original.resource()).account(original.account())
                .scope(original.scope()).source("extension of " + original.id()).policyName(policy.name()).createdAt(now)
                .requestedDuration(duration).justification(justification)
                .status(Status.PENDING).pendingSince(now).pendingDeadline(pendingDeadline).expiresAt(end);
        AccessRequest extension = AccessRequest.create(b, now, "extension of " + original.id() + " (active until " + end
                + ") by " + duration, original.acting().orElse(null));
        ctx.store().insert(extension);
        original.record(actor.value(), now, "extension " + extension.id() + " requested: " + duration + " more; "
                + justification);
        ctx.store().update(original);
        messages.refreshCopies(original, "extension-" + extension.id());
        return extension;
    }

    /**
     * The last approval of an extension: the original's grant now ends {@code duration} later, its REVOKE timer moves
     * there and the provider is told. Both requests change in this one transaction.
     */
    void approve(AccessRequest extension, UserEmail approver, String reason, AccessDuration duration, Instant now) {
        AccessRequest original = original(extension);
        Instant end = requireExtendable(original, now);
        requireFits("duration", duration, ctx.config().policyOf(original), original);
        Instant newEnd = end.plus(duration.duration().orElseThrow());
        extension.approveExtension(approver.value(), duration, newEnd, now, reason);
        ctx.store().update(extension);
        original.extendTo(newEnd);
        original.record(approver.value(), now, "extended by " + duration + " until " + newEnd + " (" + extension.id()
                + ", approved by " + approver + ")");
        ctx.store().update(original);
        // NB: the REVOKE timer moves in the same transaction as the new end: there is no moment without one, and the
        // old one, were it to fire, re-reads the end and does nothing.
        ctx.timers().schedule(original.id(), TimerKind.REVOKE, newEnd);
        scheduleExpiryNotice(ctx, original, now);
        ctx.timers().schedule(original.id(), TimerKind.EXTEND, now);
        messages.refreshCopies(original, "extended-" + extension.id());
    }

    /** An audit line on the grant an extension belongs to (denied, expired). */
    void noteOnOriginal(AccessRequest extension, String actor, Instant at, String text) {
        ctx.store().find(extension.extensionOf().orElseThrow()).ifPresent(original -> {
            original.actingVia(extension.acting().orElse(null)).record(actor, at, text);
            ctx.store().update(original);
        });
    }

    /** The original's access ended: a pending extension is withdrawn, an approved one ends with it. */
    void closeAll(AccessRequest original, Instant now) {
        for (AccessRequest e : ctx.store().findExtensionsOf(original.id())) {
            e.actingVia(original.acting().orElse(null));
            if (e.status() == Status.PENDING) {
                e.cancel(AuditEvent.SYSTEM, now, "the access it would extend (" + original.id() + ") ended");
                ctx.store().update(e);
                ctx.timers().cancel(e.id(), TimerKind.PENDING_EXPIRY);
                ctx.timers().cancel(e.id(), TimerKind.ESCALATION);
                messages.refreshCopies(e, "cancelled");
            } else if (e.status() == Status.APPROVED) {
                e.endWithOriginal(now, "the access it extended (" + original.id() + ") ended");
                ctx.store().update(e);
                messages.refreshCopies(e, "ended");
            }
        }
    }

    /**
     * The "your access ends at …" notice, {@code intervals.expiry-notice} before the end (at once when less is left);
     * a zero interval turns it off.
     */
    static void scheduleExpiryNotice(LifecycleContext ctx, AccessRequest r, Instant now) {
        Duration notice = ctx.config().intervals().expiryNotice();
        if (notice.isZero() || r.expiresAt().isEmpty()) {
            return;
        }
        Instant at = r.expiresAt().get().minus(notice);
        ctx.timers().schedule(r.id(), TimerKind.EXPIRY_NOTICE, at.isBefore(now) ? now : at);
    }
}
