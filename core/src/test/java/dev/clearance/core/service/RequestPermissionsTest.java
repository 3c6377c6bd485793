package dev.clearance.core.service;

import dev.clearance.core.model.AccessRequest;
import dev.clearance.core.model.ClearanceException;
import dev.clearance.core.model.GrantState;
import dev.clearance.core.model.Origin;
import dev.clearance.core.model.RequestId;
import dev.clearance.core.model.ScopePath;
import dev.clearance.core.model.Status;
import dev.clearance.core.model.UserEmail;
import dev.clearance.core.policy.ApproverTree;
import dev.clearance.core.policy.ClearanceConfig;
import dev.clearance.core.policy.Intervals;
import dev.clearance.core.policy.Policy;
import dev.clearance.core.policy.Scope;
import dev.clearance.core.policy.TestConfigs;
import dev.clearance.core.service.RequestPermissions.Action;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import static dev.clearance.core.policy.TestConfigs.e;
import static dev.clearance.core.policy.TestConfigs.users;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The rule of who may do what, as one table: personas × request states → the actions allowed; every other action is
 * refused. Each cell is also tried through the service (or {@code getFor} for SEE) on a fresh copy of the state, which
 * must refuse exactly when the rule refuses, with the rule's own reason, and change nothing when it refuses.
 * <p>
 * The organisation: scopes org (approver olga, admin root) → org/prod (approvers pat, pia; admin adam; account
 * 123456789012) and org/dev (approver dan, admin dora; account 222222222222). {@code s3:DeleteBucket} on
 * 123456789012 falls under the two-step policy: two of the security group (sec1, sec2, sec3), then a scope approver.
 */
class RequestPermissionsTest {
    /** The people of the table, by role towards alice's request. */
    enum Persona {
        REQUESTER("alice"), APPROVER_STEP_1("sec3"), APPROVER_STEP_2("pat"), APPROVER_OTHER_SCOPE("dan"),
        ADMIN_OF_SCOPE("adam"), ADMIN_OTHER_SUBTREE("dora"), ROOT_ADMIN("root"), OUTSIDER("otto");

        final UserEmail email;

        Persona(String local) {
            this.email = e(local);
        }
    }

    /** Where alice's request is. "Late": its deadline has passed and its expiry timer has not run yet. */
    enum State { REQUESTED, REQUESTED_LATE, PENDING_STEP_1, PENDING_STEP_2, PENDING_LATE, APPROVED, DENIED, ENDED }

    private static final Map<State, Map<Persona, Set<Action>>> ALLOWED = new LinkedHashMap<>();

    private static void row(State state, String... cells) {
        Map<Persona, Set<Action>> row = new LinkedHashMap<>();
        for (String cell : cells) {
            String[] parts = cell.split(":", 2);
            Set<Action> actions = EnumSet.noneOf(Action.class);
            Arrays.stream(parts[1].trim().split("\\s+")).filter(s -> !s.isEmpty()).map(Action::valueOf).forEach(actions::add);
            row.put(Persona.valueOf(parts[0].trim()), actions);
        }
        assertThat(row.keySet()).as("row %s names every persona", state).containsExactlyInAnyOrder(Persona.values());
        ALLOWED.put(state, row);
    }

    static {
        // Anyone eligible for one of its steps sees a request: admins of its scope and above are eligible for all.
        String seers = "SEE";
        row(State.REQUESTED, "REQUESTER: SEE JUSTIFY ABANDON CANCEL", "APPROVER_STEP_1: " + seers, "APPROVER_STEP_2: " + seers,
                "APPROVER_OTHER_SCOPE:", "ADMIN_OF_SCOPE: " + seers, "ADMIN_OTHER_SUBTREE:", "ROOT_ADMIN: " + seers, "OUTSIDER:");
        row(State.REQUESTED_LATE, "REQUESTER: SEE ABANDON CANCEL", "APPROVER_STEP_1: SEE", "APPROVER_STEP_2: SEE",
                "APPROVER_OTHER_SCOPE:", "ADMIN_OF_SCOPE: SEE", "ADMIN_OTHER_SUBTREE:", "ROOT_ADMIN: SEE", "OUTSIDER:");
        row(State.PENDING_STEP_1, "REQUESTER: SEE CANCEL", "APPROVER_STEP_1: SEE APPROVE DENY", "APPROVER_STEP_2: SEE",
                "APPROVER_OTHER_SCOPE:", "ADMIN_OF_SCOPE: SEE APPROVE DENY", "ADMIN_OTHER_SUBTREE:",
                "ROOT_ADMIN: SEE APPROVE DENY", "OUTSIDER:");
        row(State.PENDING_STEP_2, "REQUESTER: SEE CANCEL", "APPROVER_STEP_1: SEE", "APPROVER_STEP_2: SEE APPROVE DENY",
                "APPROVER_OTHER_SCOPE:", "ADMIN_OF_SCOPE: SEE APPROVE DENY", "ADMIN_OTHER_SUBTREE:",
                "ROOT_ADMIN: SEE APPROVE DENY", "OUTSIDER:");
        row(State.PENDING_LATE, "REQUESTER: SEE CANCEL", "APPROVER_STEP_1: SEE", "APPROVER_STEP_2: SEE",
                "APPROVER_OTHER_SCOPE:", "ADMIN_OF_SCOPE: SEE", "ADMIN_OTHER_SUBTREE:", "ROOT_ADMIN: SEE", "OUTSIDER:");
        row(State.APPROVED, "REQUESTER: SEE CANCEL EXTEND", "APPROVER_STEP_1: SEE", "APPROVER_STEP_2: SEE",
                "APPROVER_OTHER_SCOPE:", "ADMIN_OF_SCOPE: SEE REVOKE", "ADMIN_OTHER_SUBTREE:", "ROOT_ADMIN: SEE REVOKE",
                "OUTSIDER:");
        row(State.DENIED, "REQUESTER: SEE", "APPROVER_STEP_1: SEE", "APPROVER_STEP_2: SEE", "APPROVER_OTHER_SCOPE:",
                "ADMIN_OF_SCOPE: SEE", "ADMIN_OTHER_SUBTREE:", "ROOT_ADMIN: SEE", "OUTSIDER:");
        row(State.ENDED, "REQUESTER: SEE", "APPROVER_STEP_1: SEE", "APPROVER_STEP_2: SEE", "APPROVER_OTHER_SCOPE:",
                "ADMIN_OF_SCOPE: SEE", "ADMIN_OTHER_SUBTREE:", "ROOT_ADMIN: SEE", "OUTSIDER:");
    }

    static ClearanceConfig config() {
        Map<ScopePath, Scope> scopes = new LinkedHashMap<>();
        scopes.put(ScopePath.of("org"), new Scope(ScopePath.of("org"), users("olga"), users("root"), Set.of()));
        scopes.put(ScopePath.of("org/prod"), new Scope(ScopePath.of("org/prod"), users("pat", "pia"), users("adam"),
                Set.of("123456789012")));
        scopes.put(ScopePath.of("org/dev"), new Scope(ScopePath.of("org/dev"), users("dan"), users("dora"),
                Set.of("222222222222")));
        ClearanceConfig base = TestConfigs.config();
        return new ClearanceConfig(base.users(), base.groups(), new ApproverTree(ScopePath.of("org"), scopes),
                base.policies(), Policy.defaultPolicy(dev.clearance.core.model.AccessDuration.UNTIL_REVOKED),
                Intervals.defaults());
    }

    /** A fresh world with alice's request in {@code state}. */
    private static final class World {
        final InMemoryPorts ports = new InMemoryPorts(config());
        final AccessRequestService service = ports.service;
        final RequestQueries queries = new RequestQueries(ports.ctx);
        final AccessRequest request;

        World(State state) {
            AccessRequest r = service.intake(new Commands.Intake(UserEmail.of("alice@example.com"), "s3:DeleteBucket", "123456789012",
                    Optional.empty(), Optional.of("1h"), Optional.empty(), Optional.of("test"), Optional.empty(), Origin.api("test"))).request();
            String id = r.id().value();
            switch (state) {
                case REQUESTED -> { }
                case REQUESTED_LATE -> ports.clock.set(r.justificationDeadline().orElseThrow());
                default -> {
                    service.justify(new Commands.Justify(RequestId.parse(id), UserEmail.of("alice@example.com"), "INC-1", Optional.empty(), Origin.api("test")));
                    switch (state) {
                        case PENDING_STEP_1 -> { }
                        case PENDING_LATE -> ports.clock.set(stored(id).pendingDeadline().orElseThrow());
                        case DENIED -> decide(id, "sec1", "deny");
                        default -> {
                            decide(id, "sec1", "approve");
                            decide(id, "sec2", "approve");
                            if (state != State.PENDING_STEP_2) {
                                decide(id, "pat", "approve");
                                ports.advance(Duration.ZERO);
                                assertThat(stored(id).grantState()).isEqualTo(GrantState.ACTIVE);
                            }
                            if (state == State.ENDED) {
                                ports.advance(Duration.ofHours(2));
                            }
                        }
                    }
                }
            }
            request = stored(id);
            assertThat(request.status().name()).as("set-up of %s", state).isEqualTo(switch (state) {
                case REQUESTED, REQUESTED_LATE -> "REQUESTED";
                case PENDING_STEP_1, PENDING_STEP_2, PENDING_LATE -> "PENDING";
                default -> state.name();
            });
            if (state == State.PENDING_STEP_1 || state == State.PENDING_STEP_2) {
                assertThat(request.currentStep()).isEqualTo(state == State.PENDING_STEP_2 ? 1 : 0);
            }
        }

        private void decide(String id, String who, String verdict) {
            service.decide(new Commands.Decide(RequestId.parse(id), UserEmail.of(who + "@example.com"), verdict, "checked", Optional.empty(), Origin.api("test")));
        }

        AccessRequest stored(String id) {
            return ports.store.find(new dev.clearance.core.model.RequestId(id)).orElseThrow();
        }

        RequestPermissions permissions(Persona who) {
            return queries.permissionsFor(who.email, request.id().value());
        }

        /** Does {@code action} as {@code who} through the service. */
        void act(Persona who, Action action) {
            String id = request.id().value();
            String me = who.email.value();
            switch (action) {
                case SEE -> queries.getFor(who.email, id);
                case JUSTIFY -> service.justify(new Commands.Justify(RequestId.parse(id), UserEmail.parse("actor", me), "because", Optional.empty(), Origin.api("test")));
                case ABANDON -> service.abandon(RequestId.parse(id), UserEmail.parse("actor", me), Origin.api("test"));
                case APPROVE -> service.decide(new Commands.Decide(RequestId.parse(id), UserEmail.parse("approver", me), "approve", "fine", Optional.empty(), Origin.api("test")));
                case DENY -> service.decide(new Commands.Decide(RequestId.parse(id), UserEmail.parse("approver", me), "deny", "no", Optional.empty(), Origin.api("test")));
                case CANCEL -> service.cancel(RequestId.parse(id), UserEmail.parse("actor", me), Origin.api("test"));
                case REVOKE -> service.revoke(RequestId.parse(id), UserEmail.parse("actor", me), "offboarding", Origin.api("test"));
                case EXTEND -> service.extend(new Commands.Extend(RequestId.parse(id), UserEmail.parse("actor", me), "1h", "the migration runs late", Origin.api("test")));
            }
        }
    }

    @TestFactory
    List<DynamicTest> theRuleAllowsExactlyTheTableAndTheServicesAgree() {
        List<DynamicTest> tests = new ArrayList<>();
        for (State state : State.values()) {
            for (Persona who : Persona.values()) {
                Set<Action> expected = ALLOWED.get(state).get(who);
                tests.add(DynamicTest.dynamicTest(state + " / " + who + ": the rule", () -> {
                    RequestPermissions p = new World(state).permissions(who);
                    assertThat(p.allowed()).as("%s may, at %s", who, state).containsExactlyInAnyOrderElementsOf(expected);
                    for (Action a : Action.values()) {
                        assertThat(p.allows(a)).isEqualTo(expected.contains(a));
                        assertThat(p.check(a).isPresent()).isEqualTo(!expected.contains(a));
                        p.check(a).ifPresent(refusal -> assertThat(refusal.getMessage()).as("%s %s", who, a).isNotBlank());
                    }
                }));
                for (Action action : Action.values()) {
                    tests.add(DynamicTest.dynamicTest(state + " / " + who + " / " + action + ": the service agrees", () -> {
                        World world = new World(state);
                        Optional<ClearanceException> rule = world.permissions(who).check(action);
                        assertThat(rule.isEmpty()).as("the table").isEqualTo(expected.contains(action));
                        if (rule.isEmpty()) {
                            world.act(who, action);
                        } else {
                            Long version = world.stored(world.request.id().value()).version();
                            assertThatThrownBy(() -> world.act(who, action)).as("%s %s at %s", who, action, state)
                                    .isInstanceOf(rule.get().getClass()).hasMessage(rule.get().getMessage());
                            assertThat(world.stored(world.request.id().value()).version()).as("nothing changed")
                                    .isEqualTo(version);
                        }
                    }));
                }
            }
        }
        return tests;
    }

    @Test
    void refusalsSayWhyWithTheRightKind() {
        World pending = new World(State.PENDING_STEP_1);
        assertThat(pending.permissions(Persona.OUTSIDER).check(Action.SEE)).get()
                .isInstanceOf(dev.clearance.core.model.ForbiddenException.class);
        assertThat(pending.permissions(Persona.REQUESTER).whyNot(Action.APPROVE)).get().asString()
                .contains("self-approval is forbidden");
        assertThat(pending.permissions(Persona.APPROVER_STEP_2).whyNot(Action.APPROVE)).get().asString()
                .contains("is not an approver for Security review");
        assertThat(pending.permissions(Persona.ADMIN_OTHER_SUBTREE).whyNot(Action.REVOKE)).get().asString()
                .contains("is not an administrator of scope org/prod");
        World late = new World(State.PENDING_LATE);
        assertThat(late.permissions(Persona.ROOT_ADMIN).check(Action.APPROVE)).get()
                .isInstanceOf(dev.clearance.core.model.ConflictException.class)
                .extracting(Throwable::getMessage).asString().contains("expired at");
        World approved = new World(State.APPROVED);
        assertThat(approved.permissions(Persona.REQUESTER).whyNot(Action.JUSTIFY)).get().asString()
                .contains("already approved by pat@example.com");
    }

    @Test
    void aVoteIsOnePerPersonAndAnActionIsNotOfferedTwice() {
        World step2 = new World(State.PENDING_STEP_2);
        UserEmail sec1 = e("sec1");
        assertThat(step2.queries.permissionsFor(sec1, step2.request).whyNot(Action.APPROVE)).get().asString()
                .contains("you already approved");
        World approved = new World(State.APPROVED);
        approved.service.revoke(approved.request.id(), UserEmail.of("root@example.com"), "offboarding", Origin.api("test"));
        AccessRequest revoking = approved.stored(approved.request.id().value());
        assertThat(revoking.grantState()).isEqualTo(GrantState.REVOKING);
        RequestPermissions adam = approved.queries.permissionsFor(Persona.ADMIN_OF_SCOPE.email, revoking);
        RequestPermissions alice = approved.queries.permissionsFor(Persona.REQUESTER.email, revoking);
        assertThat(adam.whyNot(Action.REVOKE)).get().asString().contains("already in progress");
        assertThat(alice.allowed()).as("neither revoke twice nor give back what is being taken").doesNotContain(Action.CANCEL, Action.EXTEND);
        assertThatThrownBy(() -> approved.service.cancel(revoking.id(), UserEmail.of("alice@example.com"), Origin.api("test")))
                .hasMessage(alice.whyNot(Action.CANCEL).orElseThrow());
    }

    @Test
    void anExtensionIsNeitherCancelledRevokedNorExtendedInPlaceOfItsGrant() {
        World approved = new World(State.APPROVED);
        AccessRequest ext = approved.service.extend(new Commands.Extend(approved.request.id(), UserEmail.of("alice@example.com"),
                "1h", "more", Origin.api("test"))).request();
        approved.service.decide(new Commands.Decide(ext.id(), UserEmail.of("sec1@example.com"), "approve", "ok", Optional.empty(), Origin.api("test")));
        approved.service.decide(new Commands.Decide(ext.id(), UserEmail.of("sec2@example.com"), "approve", "ok", Optional.empty(), Origin.api("test")));
        approved.service.decide(new Commands.Decide(ext.id(), UserEmail.of("pat@example.com"), "approve", "ok", Optional.empty(), Origin.api("test")));
        AccessRequest extension = approved.stored(ext.id().value());
        assertThat(extension.status()).isEqualTo(Status.APPROVED);
        Set<Action> alice = approved.queries.permissionsFor(Persona.REQUESTER.email, extension).allowed();
        Set<Action> root = approved.queries.permissionsFor(Persona.ROOT_ADMIN.email, extension).allowed();
        assertThat(alice).containsExactly(Action.SEE);
        assertThat(root).containsExactly(Action.SEE);
        assertThat(approved.queries.permissionsFor(Persona.REQUESTER.email, extension).whyNot(Action.EXTEND)).get()
                .asString().contains("itself an extension");
    }

    /** Who gets Approve and Deny on a card ({@code canDecideNow}) is who the rule lets approve at that moment. */
    @Test
    void theCardsOfferDecisionsToThoseTheRuleAllows() {
        for (State state : State.values()) {
            World world = new World(state);
            RequestViews views = new RequestViews(world.ports.ctx.policies(), world.ports.ctx.directory(), world.ports.clock, world.ports.store);
            List<String> canDecide = views.of(world.request).canDecideNow();
            for (Persona who : Persona.values()) {
                assertThat(canDecide.contains(who.email.value())).as("%s offered a decision at %s", who, state)
                        .isEqualTo(ALLOWED.get(state).get(who).contains(Action.APPROVE));
            }
        }
        World late = new World(State.PENDING_LATE);
        assertThat(new RequestViews(late.ports.ctx.policies(), late.ports.ctx.directory(), late.ports.clock, late.ports.store)
                .of(late.request).canDecideNow()).as("nobody, once the deadline has passed").isEmpty();
    }

    /** While its grant is being revoked, a pending extension may be denied but not approved, and no card offers it. */
    @Test
    void anExtensionOfAGrantNoLongerLiveCannotBeApprovedAndIsNotOffered() {
        World world = new World(State.APPROVED);
        AccessRequest ext = world.service.extend(new Commands.Extend(world.request.id(), UserEmail.of("alice@example.com"),
                "1h", "more", Origin.api("test"))).request();
        RequestViews views = new RequestViews(world.ports.ctx.policies(), world.ports.ctx.directory(), world.ports.clock,
                world.ports.store);
        assertThat(views.of(ext).canDecideNow()).contains("sec3@example.com");
        world.service.revoke(world.request.id(), UserEmail.of("root@example.com"), "offboarding", Origin.api("test"));

        RequestPermissions sec3 = world.queries.permissionsFor(e("sec3"), ext.id().value());
        assertThat(sec3.allowed()).containsExactlyInAnyOrder(Action.SEE, Action.DENY);
        assertThat(sec3.whyNot(Action.APPROVE)).get().asString().contains("not active");
        assertThatThrownBy(() -> world.service.decide(new Commands.Decide(ext.id(), UserEmail.of("sec3@example.com"), "approve",
                "ok", Optional.empty(), Origin.api("test")))).hasMessage(sec3.whyNot(Action.APPROVE).orElseThrow());
        assertThat(views.of(world.stored(ext.id().value())).canDecideNow()).as("no Approve button on the cards").isEmpty();
    }

    @Test
    void theTableCoversEveryPersonaStateAndAction() {
        assertThat(ALLOWED.keySet()).containsExactly(State.values());
        Set<Action> used = ALLOWED.values().stream().flatMap(r -> r.values().stream()).flatMap(Set::stream)
                .collect(Collectors.toSet());
        assertThat(used).as("each action is allowed somewhere, so each is tested both ways").containsExactlyInAnyOrder(Action.values());
    }
}
