package dev.clearance.core.service;

import dev.clearance.core.model.AccessRequest;
import dev.clearance.core.model.AuditEvent;
import dev.clearance.core.model.GrantState;
import dev.clearance.core.model.RequestId;
import dev.clearance.core.model.Status;
import dev.clearance.core.notify.NotificationKind;
import dev.clearance.core.port.AccessProvider;
import dev.clearance.core.port.AccessProvider.AccessProviderException;
import dev.clearance.core.port.HeldAccess;
import dev.clearance.core.port.TimerKind;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * Compares what the access provider holds (asked of the provider, never assumed) with the requests that explain it,
 * and removes what none does: access a failed or late grant left behind, or that outlived its request by any other
 * path. Runs for one request after its grant is declared failed (now, and once more after {@link #CONFIRM_AFTER}), at
 * startup and periodically for everything.
 * <p>
 * NB: only access Clearance made is ever listed by a provider (the Identity Center ledger tells standing access
 * apart), so reconciliation never touches access it did not grant.
 */
public final class Reconciliation {
    private static final Logger LOG = Logger.getLogger(Reconciliation.class.getName());
    /** The second look after a failed grant: long enough for a creation still in progress at AWS to finish. */
    public static final Duration CONFIRM_AFTER = Duration.ofMinutes(10);
    private static final String FOUND = "reconciliation found";
    /** A reconciliation whose provider call failed tries again after this. */
    static final Duration RETRY = Duration.ofMinutes(5);
    /**
     * The most of what the provider says it holds that goes into an audit line or an alert: 500 characters stay under
     * the alert's 4,000-character parameters even were each written as a six-character JSON escape.
     */
    static final int MAX_DESCRIPTION = 500;

    private final LifecycleContext ctx;
    private final ProviderCalls calls;
    private final Messages messages;

    public Reconciliation(LifecycleContext ctx, AccessProvider provider) {
        this.ctx = ctx;
        this.calls = new ProviderCalls(ctx, provider);
        this.messages = new Messages(ctx.outbox());
    }

    /** What one reconciliation of everything found; counts of held access by outcome. */
    public record Report(boolean providerCanList, int held, int explained, int removed, int released, int unknown,
                         int failed) {
        @Override
        public String toString() {
            return !providerCanList ? "the provider cannot list what it holds"
                    : held + " held: " + explained + " explained by active requests, " + removed + " removed, "
                    + released + " released (still held by another active request), " + unknown
                    + " for unknown requests, " + failed + " failed (tried again next round)";
        }
    }

    // ------------------------------------------------------------------ everything (startup, periodic)

    /** Asks the provider what it holds and removes what no active request explains. */
    public Report reconcileAll() throws AccessProviderException {
        // (the instances' clocks are taken as in step: one behind at worst lets a round report an end as a leftover)
        Instant listedFrom = ctx.now();
        Optional<List<HeldAccess>> answered = calls.provider().held();
        if (answered.isEmpty()) {
            return new Report(false, 0, 0, 0, 0, 0, 0);
        }
        // A receiver that names the same access many times gets one removal (and the admins one alert) for it.
        Optional<List<HeldAccess>> listed = Optional.of(answered.get().stream().distinct().toList());
        int explained = 0;
        int removed = 0;
        int released = 0;
        int unknown = 0;
        int failed = 0;
        Map<RequestId, Optional<AccessRequest>> requests = new LinkedHashMap<>();
        for (HeldAccess h : listed.get()) {
            requests.computeIfAbsent(h.requestId(), ctx.store()::find);
        }
        for (HeldAccess h : listed.get()) {
            Optional<AccessRequest> r = requests.get(h.requestId());
            String outcome;
            if (r.isEmpty() || neverGranted(r.get())) {
                // NB: not ours to remove blindly (a receiver's listing may name what Clearance never stored, or never
                // asked it to grant: a revoke under an extension's id carries its grant's person and resource): reported.
                LOG.warning(() -> "reconciliation: provider '" + calls.provider().name() + "' holds " + h.description()
                        + " for " + h.requestId() + ", which Clearance " + (r.isEmpty() ? "has no record of"
                        : "never granted") + "; remove it by hand if it is stale");
                outcome = "unknown";
                unknown++;
            } else if (explains(r.get()) || endedAt(r.get()).filter(at -> !at.isBefore(listedFrom)).isPresent()) {
                // An access that ended after the listing was taken may be listed only because its revoke had not yet
                // answered: the next round looks again (a leftover is then listed after the end).
                outcome = "explained";
                explained++;
            } else {
                boolean alsoHeldByActive = listed.get().stream().anyMatch(o -> o.description().equals(h.description())
                        && !o.requestId().equals(h.requestId())
                        && requests.get(o.requestId()).filter(Reconciliation::explains).isPresent());
                outcome = remove(r.get(), h.description(), alsoHeldByActive, FOUND);
                switch (outcome) {
                    case "removed" -> removed++;
                    case "released" -> released++;
                    default -> failed++;
                }
            }
            ctx.metrics().reconciled(outcome);
        }
        return new Report(true, listed.get().size(), explained, removed, released, unknown, failed);
    }

    /** When the request's access ended (it left APPROVED), if it has. */
    private static Optional<Instant> endedAt(AccessRequest r) {
        return r.history().stream().filter(e -> e.from() == Status.APPROVED && e.to() != Status.APPROVED)
                .map(AuditEvent::at).reduce((first, last) -> last);
    }

    /**
     * Clearance never asked the provider to grant for it: an extension (it moves its grant's end, grants nothing), a
     * request never approved, or one ended before any grant attempt was claimed.
     */
    private static boolean neverGranted(AccessRequest r) {
        return r.isExtension() || (r.status() != Status.APPROVED && r.status() != Status.ENDED)
                || (r.status() == Status.ENDED && r.grantState() == GrantState.NONE);
    }

    /** An approved request explains what is held for it: granting, granted, or being revoked by its own timer. */
    private static boolean explains(AccessRequest r) {
        return r.status() == Status.APPROVED;
    }

    // ------------------------------------------------------------------ one request (after a failed grant)

    /** The RECONCILE timers of one ended request; {@code confirm} is the delayed second look. */
    void reconcileRequest(RequestId id, boolean confirm) {
        Optional<AccessRequest> found = ctx.store().find(id);
        TimerKind self = confirm ? TimerKind.RECONCILE_CONFIRM : TimerKind.RECONCILE;
        if (found.isEmpty()) {
            return;
        }
        if (explains(found.get())) {
            if (found.get().grantState() == GrantState.REVOKING) {
                // its revoke is still being retried: look again once it has ended
                ctx.timers().schedule(id, self, ctx.now().plus(RETRY));
            }
            return; // still approved: its own REVOKE timer takes the access away
        }
        AccessRequest r = found.get();
        Optional<List<HeldAccess>> listed;
        try {
            listed = calls.provider().held();
        } catch (AccessProviderException | RuntimeException e) {
            retryLater(id, self, "asking provider '" + calls.provider().name() + "' what it holds failed: " + e.getMessage());
            return;
        }
        if (listed.isEmpty()) {
            // The provider cannot list what it holds: a revoke is sent blind (harmless when nothing was granted).
            if (remove(r, "whatever the failed grant may have granted", false, "provider '" + calls.provider().name()
                    + "' cannot list what it holds, so a revoke was sent for").equals("failed")) {
                retryLater(id, self, "the revoke failed");
            } else if (!confirm) {
                ctx.timers().schedule(id, TimerKind.RECONCILE_CONFIRM, ctx.now().plus(CONFIRM_AFTER));
            }
            return;
        }
        List<HeldAccess> mine = listed.get().stream().filter(h -> h.requestId().equals(id)).toList();
        if (!mine.isEmpty()) {
            String what = mine.stream().map(HeldAccess::description).collect(Collectors.joining("; "));
            Set<String> descriptions = mine.stream().map(HeldAccess::description).collect(Collectors.toSet());
            boolean alsoHeldByActive = listed.get().stream().filter(h -> !h.requestId().equals(id))
                    .filter(h -> descriptions.contains(h.description()))
                    .anyMatch(h -> ctx.store().find(h.requestId()).filter(Reconciliation::explains).isPresent());
            String outcome = remove(r, what, alsoHeldByActive, FOUND);
            ctx.metrics().reconciled(outcome);
            if (outcome.equals("failed")) {
                retryLater(id, self, "removing " + what + " failed");
                return;
            }
        }
        if (!confirm) {
            ctx.timers().schedule(id, TimerKind.RECONCILE_CONFIRM, ctx.now().plus(CONFIRM_AFTER));
        } else if (mine.isEmpty() && r.grantState() == GrantState.FAILED) {
            calls.change(id, fresh -> {
                boolean foundBefore = fresh.history().stream().anyMatch(e -> e.reason().startsWith(FOUND));
                fresh.record(AuditEvent.SYSTEM, ctx.now(), "reconciliation confirmed: provider '"
                        + calls.provider().name() + "' holds nothing for this request");
                ctx.store().update(fresh);
                if (!foundBefore) {
                    // The admins were told the access "may have been granted": this closes it. After a removal,
                    // that alert already said what was found.
                    messages.toAdmins(fresh, ctx.approvers().admins(fresh.scope()),
                            NotificationKind.ADMIN_GRANT_FAILED_CONFIRMED, "confirmed", Map.of("provider", calls.provider().name()));
                }
            });
        }
    }

    private void retryLater(RequestId id, TimerKind self, String why) {
        Instant at = ctx.now().plus(RETRY);
        LOG.warning(() -> "reconciliation of " + id + ": " + why + "; trying again at " + at);
        ctx.timers().schedule(id, self, at);
    }

    /**
     * Asks the provider to revoke what {@code r} holds, and records the outcome on {@code r}'s audit trail: "removed"
     * (admins are told), "released" (another active request still holds the same access, so only {@code r}'s hold
     * ended; nobody needs telling) or "failed".
     */
    private String remove(AccessRequest r, String described, boolean alsoHeldByActive, String finding) {
        // NB: the provider's own words (a receiver's description) are cut before they reach the audit trail and the
        // admins' alert: the alert's stored parameters are bounded, and an insert that failed stopped every round there.
        String what = described.length() <= MAX_DESCRIPTION ? described : described.substring(0, MAX_DESCRIPTION) + "…";
        // A key of its own for each round: a receiver that remembers keys must act on a second removal, not answer it
        // as already done.
        String key = "reconcile:" + ctx.now().getEpochSecond();
        ProviderCalls.Outcome outcome = calls.call(() -> calls.provider().revoke(calls.toGrant(r, key, r.expiresAt())));
        String provider = calls.provider().name();
        Instant now = ctx.now();
        if (outcome.failure().isPresent()) {
            ctx.metrics().providerFailure("reconcile");
            calls.change(r.id(), fresh -> {
                fresh.record(AuditEvent.SYSTEM, now, finding + " " + what + " at provider '" + provider
                        + "' although the request is " + describe(fresh) + "; removing it failed (" + outcome.failure().get()
                        + "); tried again");
                ctx.store().update(fresh);
            });
            return "failed";
        }
        calls.change(r.id(), fresh -> {
            fresh.record(AuditEvent.SYSTEM, now, finding + " " + what + " at provider '" + provider + "' although the "
                    + "request is " + describe(fresh) + (alsoHeldByActive
                    ? "; released this request's hold (another active request still holds it)"
                    : "; removed") + outcome.noteSuffix());
            ctx.store().update(fresh);
            if (!alsoHeldByActive) {
                // NB: access found that no active request explains is a security event: the scope's admins hear of it.
                messages.toAdmins(fresh, ctx.approvers().admins(fresh.scope()), NotificationKind.ADMIN_LEFTOVER_REMOVED,
                        "removed:" + now.getEpochSecond(), Map.of("provider", provider, "what", what));
            }
        });
        return alsoHeldByActive ? "released" : "removed";
    }

    private static String describe(AccessRequest r) {
        List<String> parts = new ArrayList<>();
        parts.add(r.status().name().toLowerCase(java.util.Locale.ROOT));
        if (r.grantState() == GrantState.FAILED) {
            parts.add("its grant declared failed");
        }
        return String.join(", ", parts);
    }
}
