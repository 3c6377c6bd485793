package dev.clearance.core.service;

import dev.clearance.core.detect.Caller;
import dev.clearance.core.detect.DeniedCall;
import dev.clearance.core.detect.Verdict;
import dev.clearance.core.model.AccessRequest;
import dev.clearance.core.model.ClearanceException;
import dev.clearance.core.model.Origin;
import dev.clearance.core.model.RateLimitedException;
import dev.clearance.core.model.UserEmail;
import dev.clearance.core.view.PolicyPreview;
import dev.clearance.core.policy.Detection;
import dev.clearance.core.port.DetectedEvents;

import java.time.Instant;
import java.util.Optional;

/**
 * What a denied AWS call means (the policy file's {@code detection} section): a protected permission opens a request
 * through the same intake as everything else (so its scope, limits, dedupe and policies apply), further attempts
 * while it is open are counted on it, a disabled service sends its notice, anything else is ignored with a reason.
 * <p>
 * NB: the person is who AWS authenticated (the Identity Center session, or a principal the policy file maps), never
 * a field of the event a caller could choose; the event's {@code eventID} is the idempotency key of all it causes.
 */
public final class AttemptDetector {
    /** The channel detected attempts are recorded under on the audit trail. */
    public static final String CHANNEL = "cloudtrail";
    private final LifecycleContext ctx;
    private final AccessRequestService intake;
    private final RequestQueries queries;
    private final DetectedEvents events;
    private final Messages messages;

    public AttemptDetector(LifecycleContext ctx, AccessRequestService intake, RequestQueries queries, DetectedEvents events) {
        this.ctx = ctx;
        this.intake = intake;
        this.queries = queries;
        this.events = events;
        this.messages = new Messages(ctx.outbox());
    }

    /** What the detector would do with a call, and for whom; decided from the policy file alone. */
    public sealed interface Plan {
        record Ignore(String reason, String why) implements Plan { }
        record Notice(UserEmail person) implements Plan { }
        record Request(UserEmail person) implements Plan { }
    }

    public Plan plan(DeniedCall call) {
        Detection d = ctx.config().detection();
        if (call.errorCode().isEmpty()) {
            return new Plan.Ignore("succeeded", "the call succeeded");
        }
        if (!d.isDenial(call.errorCode().get())) {
            return new Plan.Ignore("not-a-denial", "error " + call.errorCode().get()
                    + " is not a denial (detection.denial-codes)");
        }
        Optional<UserEmail> person = personOf(call.caller(), d);
        if (person.isEmpty()) {
            return new Plan.Ignore("unmapped-identity", "the caller (" + call.caller().kind().name().toLowerCase(java.util.Locale.ROOT)
                    .replace('_', ' ') + " " + call.caller().description() + ") is not an IAM Identity Center session"
                    + " and detection.identities does not map it to a person");
        }
        if (d.isDisabled(call.service())) {
            return new Plan.Notice(person.get());
        }
        if (d.isProtected(call.action())) {
            return new Plan.Request(person.get());
        }
        return new Plan.Ignore("not-protected", call.action() + " is not among detection.protected");
    }

    /** NB: an Identity Center session is the person the identity store names; any other principal only if mapped. */
    private static Optional<UserEmail> personOf(Caller caller, Detection d) {
        if (caller.kind() == Caller.Kind.IDENTITY_CENTER && caller.person().isPresent()) {
            return caller.person();
        }
        return Optional.ofNullable(d.identities().get(caller.principalArn()));
    }

    /** Acts on one denied call; a redelivered event changes nothing. */
    public Verdict handle(DeniedCall call, Instant receivedAt) {
        Plan plan = plan(call);
        if (plan instanceof Plan.Ignore ignore) {
            return new Verdict.Ignored(ignore.reason(), ignore.why());
        }
        if (events.seen(call.eventId())) {
            return new Verdict.Duplicate(call.eventId());
        }
        if (plan instanceof Plan.Notice notice) {
            return ctx.transactions().inTransaction(() -> {
                if (!events.record(call.eventId(), null, "notice", receivedAt)) {
                    return new Verdict.Duplicate(call.eventId());
                }
                intake.notifyServiceDisabled(new Commands.DisabledService(notice.person(), call.service(),
                        call.account(), origin(call)));
                return new Verdict.Noticed(call.service());
            });
        }
        return request(call, ((Plan.Request) plan).person(), receivedAt);
    }

    private Verdict request(DeniedCall call, UserEmail person, Instant receivedAt) {
        String key = "cloudtrail:" + call.eventId();
        Optional<AccessRequest> active = ctx.store().findActive(person, call.action(), call.account());
        if (active.isPresent() && key.equals(active.get().idempotencyKey())) {
            // this very event opened it, and the crash came before its record: record it now, count nothing
            AccessRequest r = active.get();
            ctx.transactions().inTransaction(() -> events.record(call.eventId(), r.id(), "opened", receivedAt));
            return new Verdict.Opened(r.id(), r.policyName());
        }
        if (active.isPresent()) {
            return countOn(active.get(), call, receivedAt);
        }
        Detection d = ctx.config().detection();
        Instant now = ctx.now();
        if (!d.newRequestAfterDenial().isZero()) {
            Optional<Instant> denied = ctx.store().lastDenial(person, call.action(), call.account(),
                    now.minus(d.newRequestAfterDenial()));
            if (denied.isPresent()) {
                return new Verdict.Ignored("after-denial", call.action() + " in " + call.account() + " was denied to "
                        + person + " at " + denied.get() + "; attempts open a new request "
                        + Spans.of(d.newRequestAfterDenial()) + " after a denial (detection.new-request-after-denial)");
            }
        }
        AccessRequestService.IntakeResult result;
        try {
            result = intake.intake(new Commands.Intake(person, call.action(), call.account(), Optional.empty(),
                    Optional.empty(), Optional.empty(), Optional.of(source(call)), Optional.of(key), origin(call)));
        } catch (RateLimitedException limited) {
            return new Verdict.Ignored("rate-limited", limited.getMessage());
        } catch (ClearanceException refused) {
            return new Verdict.Ignored("refused", refused.getMessage());
        }
        AccessRequest r = result.request();
        if (!result.created() && !key.equals(r.idempotencyKey())) {
            // another attempt opened it a moment ago (the unique index chose): this one counts on it
            return countOn(r, call, receivedAt);
        }
        boolean recorded = ctx.transactions().inTransaction(() -> events.record(call.eventId(), r.id(), "opened", receivedAt));
        return recorded || result.created() ? new Verdict.Opened(r.id(), r.policyName()) : new Verdict.Duplicate(call.eventId());
    }

    private Verdict countOn(AccessRequest r, DeniedCall call, Instant receivedAt) {
        return ctx.transactions().inTransaction(() -> {
            if (!events.record(call.eventId(), r.id(), "counted", receivedAt)) {
                return new Verdict.Duplicate(call.eventId());
            }
            int attempts = events.attemptsOn(r.id());
            if (worthARefresh(attempts)) {
                // every copy shows "n more attempts"; refreshed on a thinning schedule, so a retrying script does not
                // rewrite every approver's message a thousand times
                messages.refreshCopies(r, "attempts-" + attempts);
            }
            return new Verdict.Counted(r.id(), attempts);
        });
    }

    static boolean worthARefresh(int attempts) {
        return attempts <= 3 || attempts == 5 || attempts == 10 || attempts == 20 || attempts == 50 || attempts % 100 == 0;
    }

    /** Where the request came from, for the request and its approvers: the denied call, briefly. */
    private static String source(DeniedCall call) {
        String s = dev.clearance.core.view.RequestView.DETECTED_PREFIX + call.action() + " denied" + call.resourceArn().map(a -> " on " + a).orElse("")
                + (call.region().isBlank() ? "" : " in " + call.region()) + " at " + call.eventTime() + " (event "
                + call.eventId() + ")";
        return s.length() <= 256 ? s : s.substring(0, 255) + "…";
    }

    private static Origin origin(DeniedCall call) {
        String principal = call.eventId() + " " + call.caller().description();
        return new Origin(CHANNEL, principal.length() <= 200 ? principal : principal.substring(0, 200));
    }

    /** The dry run of {@code detect}: what would happen, and who would approve; stores nothing. */
    public Explanation explain(DeniedCall call) {
        Plan plan = plan(call);
        Optional<PolicyPreview> preview = Optional.empty();
        Optional<String> refusal = Optional.empty();
        if (plan instanceof Plan.Request request) {
            try {
                preview = Optional.of(queries.resolve(request.person(), call.action(), call.account(), Optional.empty()));
            } catch (ClearanceException refused) {
                refusal = Optional.of(refused.getMessage());
            }
        }
        return new Explanation(call, plan, preview, refusal);
    }

    /** The dry run's answer. {@code refusal}: why intake would refuse the request (an account no scope declares …). */
    public record Explanation(DeniedCall call, Plan plan, Optional<PolicyPreview> preview, Optional<String> refusal) {
    }
}
