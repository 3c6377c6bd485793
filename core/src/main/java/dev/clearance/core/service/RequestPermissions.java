package dev.clearance.core.service;

import dev.clearance.core.model.AccessDuration;
import dev.clearance.core.model.AccessRequest;
import dev.clearance.core.model.ClearanceException;
import dev.clearance.core.model.ConflictException;
import dev.clearance.core.model.ForbiddenException;
import dev.clearance.core.model.GrantState;
import dev.clearance.core.model.RequestId;
import dev.clearance.core.model.Status;
import dev.clearance.core.model.UserEmail;
import dev.clearance.core.model.Vote;
import dev.clearance.core.policy.Approvers;
import dev.clearance.core.policy.ClearanceConfig;
import dev.clearance.core.policy.Policy;

import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The one rule for who may do what with a stored request at one instant, with the reason of each refusal. The services
 * enforce it (each command asks it before changing anything) and the web page, the chat adapters and the listings build
 * what they offer from it, so what is offered cannot disagree with what is allowed. Always built from the request as
 * read from the store, never from the message that carried a button.
 * <p>
 * Approving an extension also needs the grant it extends to be live at that moment: that reads the grant, through the
 * {@code requests} lookup given to {@link #of}.
 */
public final class RequestPermissions {
    /** What a person may do with a request. */
    public enum Action { SEE, JUSTIFY, ABANDON, APPROVE, DENY, CANCEL, REVOKE, EXTEND }

    private final AccessRequest request;
    private final UserEmail person;
    private final Instant now;
    private final Policy policy;
    private final Approvers approvers;
    private final Function<RequestId, Optional<AccessRequest>> requests;
    private final Map<Action, Optional<ClearanceException>> answers = new EnumMap<>(Action.class);

    private RequestPermissions(AccessRequest request, UserEmail person, Instant now, Policy policy, Approvers approvers,
                               Function<RequestId, Optional<AccessRequest>> requests) {
        this.request = request;
        this.person = person;
        this.now = now;
        this.policy = policy;
        this.approvers = approvers;
        this.requests = requests;
    }

    /**
     * What {@code person} may do with {@code request} at {@code now}, under the configuration {@code config} (the
     * request's policy, by its stored name) and the approvers it declares; {@code requests} reads a stored request
     * (the grant an extension extends).
     */
    public static RequestPermissions of(AccessRequest request, UserEmail person, Instant now, ClearanceConfig config,
                                        Approvers approvers, Function<RequestId, Optional<AccessRequest>> requests) {
        return new RequestPermissions(request, person, now, config.policyOf(request), approvers, requests);
    }

    /** The same, with the store, configuration, directory and clock of the services. */
    static RequestPermissions of(AccessRequest request, UserEmail person, LifecycleContext ctx) {
        ClearanceConfig config = ctx.config();
        return new RequestPermissions(request, person, ctx.now(), config.policyOf(request),
                new Approvers(config, ctx.directory()), ctx.store()::find);
    }

    public AccessRequest request() {
        return request;
    }

    public UserEmail person() {
        return person;
    }

    /** The instant the answers hold for. */
    public Instant at() {
        return now;
    }

    /** Why {@code person} may not do {@code action} now ({@link ForbiddenException}, {@link ConflictException}); empty if they may. */
    public Optional<ClearanceException> check(Action action) {
        return answers.computeIfAbsent(action, this::evaluate);
    }

    public boolean allows(Action action) {
        return check(action).isEmpty();
    }

    /** Every action {@code person} may take now. */
    public Set<Action> allowed() {
        Set<Action> allowed = EnumSet.noneOf(Action.class);
        for (Action a : Action.values()) {
            if (allows(a)) {
                allowed.add(a);
            }
        }
        return Collections.unmodifiableSet(allowed);
    }

    /** Throws the refusal of {@code action}, if any. */
    public void require(Action action) {
        Optional<ClearanceException> refusal = check(action);
        if (refusal.isPresent()) {
            throw refusal.get();
        }
    }

    /** The refusal's text, for a page or a chat message; empty if allowed. */
    public Optional<String> whyNot(Action action) {
        return check(action).map(Throwable::getMessage);
    }

    private Optional<ClearanceException> evaluate(Action action) {
        return switch (action) {
            case SEE -> see();
            case JUSTIFY -> justify();
            case ABANDON -> abandon();
            case APPROVE -> approve();
            case DENY -> decide();
            case CANCEL -> cancel();
            case REVOKE -> revoke();
            case EXTEND -> extend();
        };
    }

    // ------------------------------------------------------------------ the rules

    private Optional<ClearanceException> see() {
        // NB: the requester, the admins of its scope (or above), and whoever is or was eligible for one of its steps
        // may see a request; nobody else learns what it asks for.
        if (request.requester().equals(person)) {
            return Optional.empty();
        }
        for (int step = 0; step < policy.steps().size(); step++) {
            int level = step == request.currentStep() ? request.escalationLevel() : 0;
            if (approvers.eligible(policy, step, request.scope(), level).contains(person)) {
                return Optional.empty();
            }
        }
        return Optional.of(new ForbiddenException("Only the requester and the approvers or admins of scope "
                + request.scope() + " can see " + request.id()));
    }

    private Optional<ClearanceException> justify() {
        // NB: only the requester justifies, while the request waits for it and before its window closes.
        Optional<ClearanceException> refusal = requesterOnly("justify").or(() -> statusOnly(Status.REQUESTED, "justify"));
        if (refusal.isPresent()) {
            return refusal;
        }
        if (!now.isBefore(request.justificationDeadline().orElseThrow())) {
            return Optional.of(new ConflictException("the justification window of " + request.id() + " closed at "
                    + request.justificationDeadline().get()));
        }
        return Optional.empty();
    }

    private Optional<ClearanceException> abandon() {
        // NB: only the requester declines to justify, while the request waits for a justification (until its expiry
        // timer has run: declining a little late ends it the same way).
        return requesterOnly("abandon").or(() -> statusOnly(Status.REQUESTED, "abandon"));
    }

    private Optional<ClearanceException> decide() {
        // NB: status and deadline come from the store, not from the message that carried the button.
        if (request.status() != Status.PENDING) {
            return Optional.of(AccessRequestService.alreadyFinished(request, "decide"));
        }
        if (!now.isBefore(request.pendingDeadline().orElseThrow())) {
            return Optional.of(new ConflictException("request " + request.id() + " expired at "
                    + request.pendingDeadline().get() + " without a decision"));
        }
        Optional<ClearanceException> vote = voteRefusal(request, policy, person);
        if (vote.isPresent()) {
            return vote;
        }
        // NB: eligibility is computed from the stored step and escalation level at the moment of the decision.
        if (!approvers.eligible(policy, request.currentStep(), request.scope(), request.escalationLevel()).contains(person)) {
            return Optional.of(new ForbiddenException(person + " is not an approver for "
                    + policy.step(request.currentStep()).label(request.currentStep()) + " (step "
                    + (request.currentStep() + 1) + " of policy '" + policy.name() + "') at scope " + request.scope()));
        }
        return Optional.empty();
    }

    private Optional<ClearanceException> approve() {
        Optional<ClearanceException> refusal = decide();
        if (refusal.isPresent() || !request.isExtension()) {
            return refusal;
        }
        // NB: approving an extension needs the grant it extends to be live now; its state and end come from the store.
        RequestId grant = request.extensionOf().get();
        Optional<AccessRequest> original = requests.apply(grant);
        if (original.isEmpty()) {
            return Optional.of(new ConflictException("the request " + request.id() + " extends (" + grant + ") is gone"));
        }
        try {
            extendableUntil(original.get(), now);
        } catch (ConflictException notLive) {
            return Optional.of(notLive);
        }
        // NB: nothing left of the policy's total: no approval could extend the grant, so none is offered.
        return Extensions.room(policy, original.get()).filter(left -> left.compareTo(AccessDuration.SHORTEST) < 0)
                .map(left -> noRoom(original.get()));
    }

    private Optional<ClearanceException> cancel() {
        // NB: only the requester withdraws a request, or gives back the access it granted.
        Optional<ClearanceException> refusal = requesterOnly("cancel");
        if (refusal.isPresent()) {
            return refusal;
        }
        return switch (request.status()) {
            case REQUESTED, PENDING -> Optional.empty();
            case APPROVED -> request.isExtension()
                    ? Optional.of(new ConflictException(request.id() + " is an extension of " + request.extensionOf().get()
                    + "; cancel " + request.extensionOf().get() + " to give the access back"))
                    : revocationUnderway();
            default -> Optional.of(AccessRequestService.alreadyFinished(request, "cancel"));
        };
    }

    private Optional<ClearanceException> revoke() {
        // NB: only an admin of the request's scope (or of a scope above it) may revoke.
        if (!approvers.isAdmin(person, request.scope())) {
            return Optional.of(new ForbiddenException(person + " is not an administrator of scope " + request.scope()));
        }
        if (request.status() != Status.APPROVED) {
            return Optional.of(AccessRequestService.alreadyFinished(request, "revoke"));
        }
        if (request.isExtension()) {
            return Optional.of(new ConflictException(request.id() + " is an extension of " + request.extensionOf().get()
                    + "; revoke " + request.extensionOf().get() + " to end the access"));
        }
        return revocationUnderway();
    }

    private Optional<ClearanceException> extend() {
        // NB: only the person who holds the access may ask for more of it, and only while it is live and has an end.
        Optional<ClearanceException> refusal = requesterOnly("extend");
        if (refusal.isPresent()) {
            return refusal;
        }
        if (request.isExtension()) {
            return Optional.of(new ConflictException(request.id() + " is itself an extension; extend "
                    + request.extensionOf().get()));
        }
        try {
            extendableUntil(request, now);
        } catch (ConflictException notLive) {
            return Optional.of(notLive);
        }
        // NB: the policy's total (max-total-duration) caps a grant and all its extensions: when no extension the
        // requester could choose fits in what is left, extending is refused, and so not offered.
        return Extensions.choices(policy, Extensions.room(policy, request)).isEmpty()
                ? Optional.of(noRoom(request)) : Optional.empty();
    }

    private ConflictException noRoom(AccessRequest grant) {
        java.time.Duration left = Extensions.room(policy, grant).orElse(java.time.Duration.ZERO);
        return new ConflictException("cannot extend " + grant.id() + ": policy '" + policy.name() + "' allows a grant "
                + "and its extensions " + policy.maxTotalDuration().describe() + " in total, and "
                + (left.compareTo(AccessDuration.SHORTEST) < 0 ? "nothing is left"
                : "only " + AccessDuration.words(left) + " remain, less than the shortest extension"));
    }

    // ------------------------------------------------------------------ shared parts

    private Optional<ClearanceException> requesterOnly(String what) {
        return request.requester().equals(person) ? Optional.empty()
                : Optional.of(new ForbiddenException("only the requester (" + request.requester() + ") may " + what + " "
                + request.id()));
    }

    private Optional<ClearanceException> statusOnly(Status expected, String what) {
        return request.status() == expected ? Optional.empty()
                : Optional.of(AccessRequestService.alreadyFinished(request, what));
    }

    private Optional<ClearanceException> revocationUnderway() {
        return request.grantState() == GrantState.REVOKING
                ? Optional.of(new ConflictException("revocation of " + request.id() + " is already in progress"))
                : Optional.empty();
    }

    /** The part of the decision rule about the person: one vote each, and no self-approval unless the policy allows it. */
    private static Optional<ClearanceException> voteRefusal(AccessRequest r, Policy policy, UserEmail person) {
        // NB: one person, one approval per request, across all steps. Checked before eligibility: a second click that
        // lands after the first one completed a step must hear "you already approved", not "not an approver for step 2".
        Optional<Vote> earlier = r.voteOf(person);
        if (earlier.isPresent()) {
            return Optional.of(new ConflictException("you already approved " + r.id() + " (" + person + ", step "
                    + (earlier.get().step() + 1) + ", " + earlier.get().at() + ")"));
        }
        // NB: separation of duties: with self-approval forbidden the requester's vote never counts.
        if (person.equals(r.requester()) && !policy.selfApprovalAllowed()) {
            return Optional.of(new ForbiddenException("self-approval is forbidden by policy '" + policy.name()
                    + "': " + person + " requested " + r.id() + " and cannot decide it"));
        }
        return Optional.empty();
    }

    /**
     * The end of {@code original}'s grant, if it can be extended at {@code now}: approved, granted, with an end, and
     * not over; else a {@link ConflictException} saying why not.
     */
    static Instant extendableUntil(AccessRequest original, Instant now) {
        if (original.status() != Status.APPROVED || original.grantState() != GrantState.ACTIVE) {
            throw new ConflictException("cannot extend " + original.id() + ": its access is not active (request "
                    + original.status().name().toLowerCase() + ", access " + original.grantState().name().toLowerCase() + ")");
        }
        Instant end = original.expiresAt().orElseThrow(() -> new ConflictException("cannot extend " + original.id()
                + ": it was granted until revoked"));
        if (!now.isBefore(end)) {
            throw new ConflictException("cannot extend " + original.id() + ": its access ended at " + end);
        }
        return end;
    }

    /**
     * Those of {@code candidates} whose decision would count now, among people already eligible at the current step:
     * the person part of the decision rule ({@link #voteRefusal}). Messages with Approve/Deny buttons go only to them.
     */
    static Set<UserEmail> actionable(AccessRequest r, Policy policy, Set<UserEmail> candidates) {
        Set<UserEmail> people = new TreeSet<>(candidates);
        people.removeIf(p -> voteRefusal(r, policy, p).isPresent());
        return people;
    }

    /** Who is pinged when a step starts: its first recipients who can act, else the admins who can. */
    static Set<UserEmail> stepRecipients(AccessRequest r, Policy policy, Approvers approvers) {
        Set<UserEmail> people = actionable(r, policy, approvers.initialRecipients(policy, r.currentStep(), r.scope()));
        return people.isEmpty() ? actionable(r, policy, approvers.admins(r.scope())) : people;
    }
}
