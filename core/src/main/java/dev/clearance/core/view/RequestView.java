package dev.clearance.core.view;

import dev.clearance.core.model.AccessDuration;
import dev.clearance.core.model.AuditEvent;
import dev.clearance.core.model.GrantState;
import dev.clearance.core.model.Status;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Everything a message about a request may show, read from the store at the moment of rendering.
 * {@code canDecideNow}: who may decide at the current step right now (eligible, not the requester unless allowed,
 * not already voted). {@code extensionOf}: on an extension request, the request whose grant it extends; its
 * {@code expiresAt} is then that grant's end (the current one while pending, the new one once approved).
 * {@code providerReference}: the access provider's own ids for what it did (e.g. assignment request ids).
 * {@code maxTotalDuration}: the policy's cap on a grant and all its extensions; {@code remainingTotal}: how much longer
 * the grant (for an extension, the grant it extends) may still be extended under that cap, while it is active with an
 * end and the cap is not until revoked; else empty. {@code durationChoices} on an extension holds only lengths that fit.
 * The card renderers are pure functions of this.
 */
public record RequestView(
        String id,
        Status status,
        String requesterEmail,
        String requesterName,
        String resource,
        String account,
        String scope,
        String source,
        String policy,
        List<StepView> steps,
        int currentStep,
        AccessDuration requestedDuration,
        Optional<AccessDuration> approvedDuration,
        AccessDuration maxDuration,
        List<AccessDuration> durationChoices,
        Optional<String> justification,
        Instant createdAt,
        Optional<Instant> justificationDeadline,
        Optional<Instant> pendingSince,
        Optional<Instant> pendingDeadline,
        int escalationLevel,
        Optional<String> decidedBy,
        Optional<String> decidedByName,
        Optional<Instant> decidedAt,
        Optional<String> decisionReason,
        GrantState grantState,
        Optional<Instant> grantedAt,
        Optional<Instant> expiresAt,
        List<AuditEvent> audit,
        List<String> canDecideNow,
        Optional<String> extensionOf,
        Optional<String> providerReference,
        AccessDuration maxTotalDuration,
        Optional<Duration> remainingTotal,
        int moreAttempts) {

    public RequestView {
        steps = List.copyOf(steps);
        durationChoices = List.copyOf(durationChoices);
        audit = List.copyOf(audit);
        canDecideNow = List.copyOf(canDecideNow);
    }

    /** Param naming who a rendering is for; renderers show buttons only to people who can act with them. */
    public static final String RECIPIENT = "recipient";

    /** Whether {@code recipient} (an email, or blank for "anyone") may decide this request right now. */
    public boolean mayDecide(String recipient) {
        return status == Status.PENDING && (recipient == null || recipient.isBlank() || canDecideNow.contains(recipient));
    }

    /** One approval step with its progress. */
    public record StepView(String name, int required, List<String> approvedBy) {
        public StepView {
            approvedBy = List.copyOf(approvedBy);
        }
    }

    public Optional<StepView> activeStep() {
        return status == Status.PENDING ? Optional.of(steps.get(currentStep)) : Optional.empty();
    }

    /** The source of a request the CloudTrail detector opened (it starts {@code cloudtrail: }). */
    public static final String DETECTED_PREFIX = "cloudtrail: ";

    /**
     * For a request the detector opened: what AWS denied, where and when, and how many more attempts were made while it
     * was open ("s3:DeleteBucket denied on arn:aws:s3:::logs in eu-west-1 at … · 3 more attempts").
     */
    public Optional<String> detectedLine() {
        if (source == null || !source.startsWith(DETECTED_PREFIX)) {
            return Optional.empty();
        }
        return Optional.of(source.substring(DETECTED_PREFIX.length()) + (moreAttempts == 0 ? ""
                : " · " + moreAttempts + " more attempt" + (moreAttempts == 1 ? "" : "s")));
    }

    /** "step 1 of 2: Security review, 0/2 approvals". */
    public String progress() {
        StepView step = steps.get(Math.min(currentStep, steps.size() - 1));
        return "step " + (Math.min(currentStep, steps.size() - 1) + 1) + " of " + steps.size() + ": " + step.name() + ", "
                + step.approvedBy().size() + "/" + step.required() + " approvals";
    }

    public boolean isExtension() {
        return extensionOf.isPresent();
    }

    /**
     * Whether the requester can ask for more time now: the grant is live, has an end, and some length fits in what is
     * left of the policy's total.
     */
    public boolean mayExtend() {
        return extensionOf.isEmpty() && status == Status.APPROVED && grantState == GrantState.ACTIVE && expiresAt.isPresent()
                && !extensionChoices().isEmpty();
    }

    /** What an extension may ask for: the lengths of {@code durationChoices} (never until revoked) that fit what is left. */
    public List<AccessDuration> extensionChoices() {
        return durationChoices.stream().filter(d -> d.duration().isPresent())
                .filter(d -> remainingTotal.map(left -> d.duration().get().compareTo(left) <= 0).orElse(true)).toList();
    }

    /**
     * For an active grant with an end (not an extension), how much more time the policy's total still allows, for
     * people: "Can still be extended by 1 day and 2 hours (2 days in total at most)"; empty when there is no cap.
     */
    public Optional<String> remainingTotalLine() {
        if (extensionOf.isPresent() || status != Status.APPROVED || grantState != GrantState.ACTIVE) {
            return Optional.empty();
        }
        return remainingTotal.map(left -> left.compareTo(AccessDuration.SHORTEST) < 0
                ? "Cannot be extended further: " + maxTotalDuration.describe() + " in total at most, all used"
                : "Can still be extended by " + AccessDuration.words(left) + " (" + maxTotalDuration.describe()
                + " in total at most)");
    }

    public boolean isDecided() {
        return status != Status.REQUESTED && status != Status.PENDING;
    }
}
