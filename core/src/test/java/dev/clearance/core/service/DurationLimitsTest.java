package dev.clearance.core.service;

import dev.clearance.core.model.AccessDuration;
import dev.clearance.core.model.AccessRequest;
import dev.clearance.core.model.ConflictException;
import dev.clearance.core.model.GrantState;
import dev.clearance.core.model.InvalidInputException;
import dev.clearance.core.model.Origin;
import dev.clearance.core.model.Person;
import dev.clearance.core.model.Status;
import dev.clearance.core.model.UserEmail;
import dev.clearance.core.view.RequestView;
import dev.clearance.core.policy.ApproverSet;
import dev.clearance.core.policy.ClearanceConfig;
import dev.clearance.core.policy.GlobPattern;
import dev.clearance.core.policy.Intervals;
import dev.clearance.core.policy.Limits;
import dev.clearance.core.policy.Policy;
import dev.clearance.core.policy.PolicyStep;
import dev.clearance.core.policy.TestConfigs;
import dev.clearance.core.policy.UnknownAccounts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Durations with an end: every duration is bounded, a request without one gets the policy's max, until revoked only
 * where the policy says so, and a policy's total (max-total-duration) caps a grant and all its extensions.
 */
class DurationLimitsTest {
    /** ec2:* falls under "one-day": 1 d at a time, the default total of 2 d; one of pat, pia approves. */
    private static Policy oneDay() {
        return new Policy("one-day", Optional.of(GlobPattern.compile("ec2:*")), Optional.empty(), AccessDuration.parse("1d"),
                false, List.of(new PolicyStep(Optional.empty(), ApproverSet.scopeApproversOnly(), 1)));
    }

    /** iam:* falls under "forever": until revoked, said explicitly. */
    private static Policy forever() {
        return new Policy("forever", Optional.of(GlobPattern.compile("iam:*")), Optional.empty(), AccessDuration.UNTIL_REVOKED,
                false, List.of(new PolicyStep(Optional.empty(), ApproverSet.scopeApproversOnly(), 1)));
    }

    private static ClearanceConfig config(Policy defaultPolicy) {
        Map<UserEmail, Person> users = Map.of();
        return new ClearanceConfig(users, Map.of("security", TestConfigs.emails("sec1", "sec2")), TestConfigs.tree(),
                List.of(oneDay(), forever(), TestConfigs.twoStep()), defaultPolicy, Intervals.defaults(), UnknownAccounts.ROOT, Limits.none());
    }

    private final InMemoryPorts ports = new InMemoryPorts(config(Policy.defaultPolicy(Policy.DEFAULT_MAX_DURATION)));
    private final AccessRequestService service = ports.service;

    private AccessRequest intake(String resource, Optional<String> duration) {
        return service.intake(new Commands.Intake(UserEmail.of("alice@example.com"), resource, "123456789012", Optional.empty(), duration,
                Optional.of("INC-1"), Optional.of("test"), Optional.empty(), Origin.api("test"))).request();
    }

    private AccessRequest decide(AccessRequest r, String who, Optional<String> duration) {
        return service.decide(new Commands.Decide(r.id(), UserEmail.of(who + "@example.com"), "approve", "ok", duration, Origin.api("test")));
    }

    private AccessRequest extend(AccessRequest grant, String duration) {
        return service.extend(new Commands.Extend(grant.id(), UserEmail.of("alice@example.com"), duration, "more work", Origin.api("test"))).request();
    }

    private AccessRequest stored(AccessRequest r) {
        return ports.store.find(r.id()).orElseThrow();
    }

    /** Requested, approved by pat and granted. */
    private AccessRequest granted(String resource, String duration) {
        AccessRequest r = intake(resource, Optional.of(duration));
        decide(r, "pat", Optional.empty());
        ports.advance(Duration.ZERO);
        assertThat(stored(r).grantState()).isEqualTo(GrantState.ACTIVE);
        return stored(r);
    }

    private static InvalidInputException onDuration(Throwable e) {
        assertThat(e).isInstanceOf(InvalidInputException.class);
        assertThat(((InvalidInputException) e).field()).isEqualTo("duration");
        return (InvalidInputException) e;
    }

    @Test
    void aPolicyThatStatesNoMaximumGetsADayAndItsTotalIsTwice() {
        Policy unstated = Policy.defaultPolicy(Policy.DEFAULT_MAX_DURATION);
        assertThat(unstated.maxDuration()).isEqualTo(AccessDuration.parse("1d"));
        assertThat(unstated.maxTotalDuration()).isEqualTo(AccessDuration.parse("2d"));
        assertThat(forever().maxTotalDuration().isUntilRevoked()).isTrue();
        assertThatThrownBy(() -> new Policy("p", Optional.empty(), Optional.of(GlobPattern.compile("1*")),
                AccessDuration.parse("1d"), false, oneDay().steps(), Map.of(), AccessDuration.parse("12h")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("shorter than max-duration");
        assertThatThrownBy(() -> new Policy("p", Optional.empty(), Optional.of(GlobPattern.compile("1*")),
                AccessDuration.parse("1d"), false, oneDay().steps(), Map.of(), AccessDuration.UNTIL_REVOKED))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("only when max-duration is");
    }

    @Test
    void aRequestWithoutADurationGetsThePolicysBoundedMaximum() {
        AccessRequest underDefault = intake("s3:GetObject", Optional.empty());
        assertThat(underDefault.policyName()).isEqualTo("default");
        assertThat(underDefault.requestedDuration()).as("the bounded default, not until revoked").isEqualTo(AccessDuration.parse("1d"));
        assertThat(intake("ec2:StopInstances", Optional.empty()).requestedDuration()).isEqualTo(AccessDuration.parse("1d"));
    }

    @Test
    void untilRevokedOnlyWhereThePolicySaysSoExplicitly() {
        assertThat(intake("iam:CreateUser", Optional.empty()).requestedDuration().isUntilRevoked()).isTrue();
        assertThat(intake("iam:DeleteUser", Optional.of("until-revoked")).requestedDuration().isUntilRevoked()).isTrue();
        assertThatThrownBy(() -> intake("ec2:StopInstances", Optional.of("until-revoked")))
                .satisfies(e -> assertThat(onDuration(e).getMessage()).contains("allows at most 1d"));
        assertThatThrownBy(() -> intake("s3:GetObject", Optional.of("until-revoked"))).satisfies(DurationLimitsTest::onDuration);
        assertThat(ports.store.findActive(UserEmail.of("alice@example.com"), "s3:GetObject", "123456789012")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"PT9223372036854775807S", "999999d", "P9999999999999D", "PT99999999999999999999S", "367d",
            "P400D", "9000h"})
    void absurdDurationsAreRefusedOnEveryPathWithoutAChange(String huge) {
        assertThatThrownBy(() -> AccessDuration.parse(huge)).isInstanceOf(IllegalArgumentException.class);
        // intake, under a policy that allows until revoked: still bounded
        assertThatThrownBy(() -> intake("iam:CreateUser", Optional.of(huge)))
                .satisfies(e -> assertThat(onDuration(e).getMessage()).containsAnyOf("at most 366 days", "is not a duration"));
        // an approver's override, under the until-revoked policy and the 1 d one: refused, no vote, no state change
        for (String resource : List.of("iam:PutRolePolicy", "ec2:RunInstances")) {
            AccessRequest r = intake(resource, Optional.of("1h"));
            assertThatThrownBy(() -> decide(r, "pat", Optional.of(huge))).satisfies(DurationLimitsTest::onDuration);
            assertThat(stored(r).status()).isEqualTo(Status.PENDING);
            assertThat(stored(r).votes()).isEmpty();
            assertThat(ports.timers).doesNotContainKey(r.id() + "/GRANT");
        }
        // an extension
        AccessRequest grant = granted("ec2:StopInstances", "1h");
        assertThatThrownBy(() -> extend(grant, huge)).satisfies(DurationLimitsTest::onDuration);
        assertThat(ports.store.findExtensionsOf(grant.id())).isEmpty();
    }

    @Test
    void theLongestDurationIsAcceptedAndItsEndComputed() {
        AccessRequest r = intake("iam:CreateRole", Optional.empty());
        decide(r, "pat", Optional.of("366d"));
        ports.advance(Duration.ZERO);
        assertThat(stored(r).grantState()).isEqualTo(GrantState.ACTIVE);
        assertThat(stored(r).expiresAt()).contains(stored(r).grantedAt().orElseThrow().plus(Duration.ofDays(366)));
    }

    @Test
    void chainedExtensionsAreCappedByThePolicysTotal() {
        AccessRequest grant = granted("ec2:StopInstances", "1h");
        Instant start = grant.grantedAt().orElseThrow();
        AccessRequest first = extend(grant, "1d");
        decide(first, "pia", Optional.empty());
        assertThat(stored(grant).expiresAt()).contains(start.plus(Duration.ofHours(25)));

        // 1 h + 1 d of the 2 d total: 23 h are left, so another day is refused, naming what is left
        assertThatThrownBy(() -> extend(grant, "1d")).satisfies(e -> assertThat(onDuration(e).getMessage())
                .contains("at most 23 hours").contains("2 days in total"));
        assertThat(ports.store.findExtensionsOf(grant.id())).hasSize(1);
        RequestViews views = new RequestViews(ports.ctx.policies(), ports.ctx.directory(), ports.clock, ports.store);
        RequestView v = views.of(stored(grant));
        assertThat(v.remainingTotal()).contains(Duration.ofHours(23));
        assertThat(v.extensionChoices()).extracting(AccessDuration::toString).containsExactly("15m", "1h", "4h", "8h");
        assertThat(v.remainingTotalLine()).contains("Can still be extended by 23 hours (2 days in total at most)");

        // an approver's override past what is left is refused too, and changes nothing
        AccessRequest second = extend(grant, "8h");
        assertThatThrownBy(() -> decide(second, "pat", Optional.of("1d")))
                .satisfies(e -> assertThat(onDuration(e).getMessage()).contains("at most 23 hours"));
        assertThat(stored(second).status()).isEqualTo(Status.PENDING);
        assertThat(stored(grant).expiresAt()).contains(start.plus(Duration.ofHours(25)));
        decide(second, "pat", Optional.of("23h"));
        assertThat(stored(grant).expiresAt()).as("exactly the total").contains(start.plus(Duration.ofDays(2)));

        // nothing left: extending is refused by the rule, so no card or page offers it
        RequestPermissions may = RequestPermissions.of(stored(grant), UserEmail.of("alice@example.com"), ports.ctx);
        assertThat(may.allows(RequestPermissions.Action.EXTEND)).isFalse();
        assertThat(may.whyNot(RequestPermissions.Action.EXTEND)).get().asString()
                .contains("2 days in total").contains("nothing is left");
        assertThatThrownBy(() -> extend(grant, "15m")).isInstanceOf(ConflictException.class).hasMessageContaining("nothing is left");
        assertThat(views.of(stored(grant)).mayExtend()).isFalse();
        assertThat(views.of(stored(grant)).remainingTotalLine()).get().asString().startsWith("Cannot be extended further");
    }

    @Test
    void lessLeftThanTheShortestExtensionOffersNone() {
        AccessRequest grant = granted("ec2:StopInstances", "1d");
        AccessRequest ext = extend(grant, "8h");
        decide(ext, "pat", Optional.of("PT23H50M"));
        RequestPermissions may = RequestPermissions.of(stored(grant), UserEmail.of("alice@example.com"), ports.ctx);
        assertThat(may.whyNot(RequestPermissions.Action.EXTEND)).get().asString()
                .contains("only 10 minutes remain, less than the shortest extension");
    }

    @Test
    void anOverridePastWhatIsLeftIsRefusedAtTheFirstStepNotLeftForTheLast() {
        // prod-delete: 8 h at a time, 16 h in total; two of security, then an owner
        AccessRequest r = intake("s3:DeleteBucket", Optional.of("8h"));
        for (String who : List.of("sec1", "sec2", "pat")) {
            decide(r, who, Optional.empty());
        }
        ports.advance(Duration.ZERO);
        AccessRequest grant = stored(r);
        AccessRequest first = extend(grant, "4h");
        for (String who : List.of("sec1", "sec2", "pat")) {
            decide(first, who, Optional.empty());
        }
        AccessRequest second = extend(grant, "1h");
        assertThatThrownBy(() -> decide(second, "sec1", Optional.of("8h")))
                .satisfies(e -> assertThat(onDuration(e).getMessage()).contains("at most 4 hours"));
        assertThat(stored(second).votes()).as("the vote did not count").isEmpty();
    }

    @Test
    void anExtensionIsNeverUntilRevokedEvenUnderAnUntilRevokedPolicy() {
        AccessRequest grant = granted("iam:CreateUser", "1h");
        assertThatThrownBy(() -> extend(grant, "until-revoked"))
                .satisfies(e -> assertThat(onDuration(e).getMessage()).contains("cannot be until revoked"));
        assertThat(ports.store.findExtensionsOf(grant.id())).isEmpty();

        AccessRequest ext = extend(grant, "1h");
        Instant end = stored(grant).expiresAt().orElseThrow();
        assertThatThrownBy(() -> decide(ext, "pat", Optional.of("until-revoked")))
                .satisfies(e -> assertThat(onDuration(e).getMessage()).contains("cannot be until revoked"));
        assertThat(stored(ext).status()).isEqualTo(Status.PENDING);
        assertThat(stored(ext).votes()).isEmpty();
        assertThat(stored(grant).expiresAt()).contains(end);
        decide(ext, "pat", Optional.of("7d"));
        assertThat(stored(grant).expiresAt()).as("no total under an until-revoked policy").contains(end.plus(Duration.ofDays(7)));
    }

    @Test
    void durationsStoredBeforeTheBoundAreReadAsTheLongestInsteadOfFailing() {
        for (String stored : new String[]{"PT9223372036854775807S", "999999d", "P9999999999999D", "400d"}) {
            org.assertj.core.api.Assertions.assertThat(dev.clearance.core.model.AccessDuration.restore(stored).duration())
                    .as(stored).contains(dev.clearance.core.model.AccessDuration.LONGEST);
        }
        org.assertj.core.api.Assertions.assertThat(dev.clearance.core.model.AccessDuration.restore("1h").toString()).isEqualTo("1h");
        org.assertj.core.api.Assertions.assertThat(dev.clearance.core.model.AccessDuration.restore("until-revoked").isUntilRevoked()).isTrue();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> dev.clearance.core.model.AccessDuration.restore("forever"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
