package dev.clearance.core.service;

import dev.clearance.core.model.AccessRequest;
import dev.clearance.core.model.RateLimitedException;
import dev.clearance.core.model.Status;
import dev.clearance.core.model.UserEmail;
import dev.clearance.core.policy.Limits;
import dev.clearance.core.port.RequestQuery;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The policy file's {@code limits} on a person's new requests: each approver ping is a cost, and a stream of them is an
 * attack (approval fatigue). Checked before a request is created; a refusal names the limit and when to try again.
 */
final class IntakeLimits {
    static final Duration HOUR = Duration.ofHours(1);
    private final LifecycleContext ctx;

    IntakeLimits(LifecycleContext ctx) {
        this.ctx = ctx;
    }

    /**
     * Why this person may not create a new request for this access now, if a limit says so. Counts are read outside the
     * intake's transaction, so the service runs one person's intakes one at a time on an instance; two instances
     * taking the same person's intakes at the same moment may each pass a limit by one, which a limit against fatigue
     * can afford.
     */
    Optional<RateLimitedException> refusal(UserEmail requester, String resource, String account) {
        Limits limits = ctx.config().limits();
        Instant now = ctx.now();
        if (!limits.newRequestAfterDenial().isZero()) {
            Optional<Instant> denied = ctx.store().lastDenial(requester, resource, account, now.minus(limits.newRequestAfterDenial()));
            if (denied.isPresent()) {
                Instant retry = denied.get().plus(limits.newRequestAfterDenial());
                return Optional.of(new RateLimitedException("limits.new-request-after-denial", "this access (" + resource
                        + " in account " + account + ") was denied to you at " + time(denied.get())
                        + "; it may be requested again " + describe(limits.newRequestAfterDenial())
                        + " after a denial (limits.new-request-after-denial): try again after " + time(retry), retry, now));
            }
        }
        if (limits.openRequestsPerPerson() > 0) {
            int open = ctx.store().countOpen(requester);
            if (open >= limits.openRequestsPerPerson()) {
                Instant retry = firstOpenDeadline(requester, now);
                return Optional.of(new RateLimitedException("limits.open-requests-per-person", "you have " + open
                        + " open requests, the most allowed (limits.open-requests-per-person is "
                        + limits.openRequestsPerPerson() + "): withdraw one you no longer need or wait for a decision; "
                        + "one is decided or closed by " + time(retry) + " at the latest", retry, now));
            }
        }
        if (limits.requestsPerHourPerPerson() > 0) {
            int cap = limits.requestsPerHourPerPerson();
            List<Instant> recent = ctx.store().createdSince(requester, now.minus(HOUR), cap);
            if (recent.size() >= cap) {
                // the cap-th newest must leave the hour before one more fits
                Instant retry = recent.get(cap - 1).plus(HOUR);
                return Optional.of(new RateLimitedException("limits.requests-per-hour-per-person", "you created " + cap
                        + " requests in the last hour, the most allowed (limits.requests-per-hour-per-person is " + cap
                        + "): try again after " + time(retry), retry, now));
            }
        }
        return Optional.empty();
    }

    /** The earliest deadline among the person's open requests: by then one of them has left the open states. */
    private Instant firstOpenDeadline(UserEmail requester, Instant now) {
        List<AccessRequest> open = ctx.store().search(new RequestQuery(Set.of(Status.REQUESTED, Status.PENDING),
                Optional.empty(), Optional.of(requester), 0, RequestQueries.MAX_PAGE_SIZE)).items();
        return open.stream()
                .map(r -> r.status() == Status.REQUESTED ? r.justificationDeadline() : r.pendingDeadline())
                .flatMap(Optional::stream).filter(d -> d.isAfter(now)).min(Instant::compareTo)
                .orElse(now.plus(HOUR));
    }

    private static String time(Instant at) {
        return at.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static String describe(Duration d) {
        if (d.toDaysPart() > 0 && d.toHoursPart() == 0 && d.toMinutesPart() == 0 && d.toSecondsPart() == 0) {
            return d.toDays() + "d";
        }
        if (d.toMinutes() * 60 == d.toSeconds() && d.toMinutesPart() == 0) {
            return d.toHours() + "h";
        }
        return d.toSeconds() % 60 == 0 ? d.toMinutes() + "m" : d.toSeconds() + "s";
    }
}
