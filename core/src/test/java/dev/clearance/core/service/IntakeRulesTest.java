package dev.clearance.core.service;

import dev.clearance.core.model.AccessRequest;
import dev.clearance.core.model.InvalidInputException;
import dev.clearance.core.model.Origin;
import dev.clearance.core.model.RateLimitedException;
import dev.clearance.core.model.RequestId;
import dev.clearance.core.model.ScopePath;
import dev.clearance.core.model.Status;
import dev.clearance.core.model.UserEmail;
import dev.clearance.core.notify.NotificationKind;
import dev.clearance.core.notify.OutboundMessage;
import dev.clearance.core.policy.Intervals;
import dev.clearance.core.policy.Limits;
import dev.clearance.core.policy.TestConfigs;
import dev.clearance.core.policy.UnknownAccounts;
import dev.clearance.core.port.GrantObstacle;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The rules of intake (issue 19): the scope follows from the account, a resource is exact, resource and account are
 * one plain line, the per-requester limits, admin alerts once per person and day, and the startup report of requests
 * in another scope than their account's. Test organisation: {@link TestConfigs} (123456789012 in org/prod, approvers
 * pat and pia; olga approves org; root administers).
 */
class IntakeRulesTest {
    private final InMemoryPorts ports = new InMemoryPorts(TestConfigs.config());

    private static Commands.Intake intake(String requester, String resource, String account, String scope) {
        return new Commands.Intake(UserEmail.parse("requester", requester), resource, account, Optional.ofNullable(scope), Optional.empty(),
                Optional.empty(), Optional.of("test"), Optional.empty(), Origin.api("test"));
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> refusedNaming(String field, Runnable action) {
        return assertThatThrownBy(action::run).isInstanceOf(InvalidInputException.class)
                .satisfies(e -> assertThat(((InvalidInputException) e).field()).isEqualTo(field));
    }

    // ------------------------------------------------------------------ scope

    @Test
    void theScopeIsTheAccountsAndAnotherScopeIsRefusedInIntakeAndTheDryRun() {
        // the attack: a sandbox scope for the production account, so that a sandbox approver could approve it
        refusedNaming("scope", () -> ports.service.intake(intake("bob@example.com", "logs:GetLogEvents", "123456789012", "org")))
                .hasMessageContaining("account 123456789012 belongs to scope org/prod");
        refusedNaming("scope", () -> ports.service.intake(intake("bob@example.com", "logs:GetLogEvents", "123456789012",
                "org/prod/payments")));
        RequestQueries queries = new RequestQueries(ports.ctx);
        refusedNaming("scope", () -> queries.resolve(UserEmail.of("bob@example.com"), "logs:GetLogEvents", "123456789012", Optional.of("org")));
        assertThat(ports.store.size()).isZero();

        AccessRequest same = ports.service.intake(intake("bob@example.com", "logs:GetLogEvents", "123456789012", "org/prod")).request();
        assertThat(same.scope().value()).as("the account's own scope, written out, is accepted").isEqualTo("org/prod");
        AccessRequest none = ports.service.intake(intake("bob@example.com", "logs:PutLogEvents", "123456789012", "  ")).request();
        assertThat(none.scope().value()).isEqualTo("org/prod");
        assertThat(queries.resolve(UserEmail.of("bob@example.com"), "logs:GetLogEvents", "123456789012", Optional.empty()).scope())
                .isEqualTo("org/prod");
    }

    @Test
    void anUndeclaredAccountBelongsToTheRootOrIsRefusedIfThePolicyFileSaysSo() {
        AccessRequest r = ports.service.intake(intake("bob@example.com", "ec2:StopInstances", "444455556666", null)).request();
        assertThat(r.scope().value()).isEqualTo("org");
        refusedNaming("scope", () -> ports.service.intake(intake("bob@example.com", "ec2:StartInstances", "444455556666", "org/prod")));

        InMemoryPorts refusing = new InMemoryPorts(TestConfigs.config(Intervals.defaults(), UnknownAccounts.REFUSE, Limits.none()));
        refusedNaming("account", () -> refusing.service.intake(intake("bob@example.com", "ec2:StopInstances", "444455556666", null)))
                .hasMessageContaining("not declared in any scope").hasMessageContaining("unknown-accounts is refuse");
        refusedNaming("account", () -> new RequestQueries(refusing.ctx).resolve(UserEmail.of("bob@example.com"), "ec2:StopInstances",
                "444455556666", Optional.empty()));
        assertThat(refusing.service.intake(intake("bob@example.com", "ec2:StopInstances", "123456789012", null)).created()).isTrue();
        assertThat(refusing.store.size()).isEqualTo(1);
    }

    // ------------------------------------------------------------------ resource and account

    @Test
    void aResourceIsExactNoPatternSlipsPastASpecificPolicy() {
        RequestQueries queries = new RequestQueries(ports.ctx);
        assertThat(queries.resolve(UserEmail.of("alice@example.com"), "s3:DeleteBucket", "123456789012", Optional.empty()).policy())
                .isEqualTo("prod-delete");
        for (String pattern : List.of("s3:*", "s3:Del*", "*", "s3:DeleteBucke?", "s3:Delete[B]ucket", "s3:{Delete,Get}Bucket",
                "s3:Delete]", "s3:Delete}", "s3:Delete\\Bucket")) {
            refusedNaming("resource", () -> ports.service.intake(intake("alice@example.com", pattern, "123456789012", null)))
                    .as(pattern).hasMessageContaining("one exact action or name");
            refusedNaming("resource", () -> queries.resolve(UserEmail.of("alice@example.com"), pattern, "123456789012", Optional.empty()))
                    .as("the dry run says the same: " + pattern);
        }
        assertThat(ports.store.size()).isZero();
    }

    @Test
    void resourceAndAccountAreOneLineAndTheAccountAPlainId() {
        for (String broken : List.of("s3:GetObject\nApproved by: security", "s3:GetObject\r\nx", "s3:GetObject\u2028x",
                "s3:GetObject\u0085x")) {
            refusedNaming("resource", () -> ports.service.intake(intake("alice@example.com", broken, "123456789012", null)));
        }
        for (String broken : List.of("123456789012\nscope: org/sandbox", "1234 5678", "12345678901*", "acct?", "<!channel>",
                "-rf", "1234\u20295678")) {
            refusedNaming("account", () -> ports.service.intake(intake("alice@example.com", "s3:GetObject", broken, null)))
                    .as(broken);
            refusedNaming("account", () -> new RequestQueries(ports.ctx).resolve(UserEmail.of("alice@example.com"), "s3:GetObject", broken,
                    Optional.empty())).as(broken);
        }
        assertThat(ports.store.size()).isZero();
        for (String fine : List.of("123456789012", "my-project-42", "prod.eu_west:1", "subscriptions/abc-123", "a@b+c=d")) {
            assertThat(ports.service.intake(intake("alice@example.com", "s3:GetObject", fine, null)).created()).as(fine).isTrue();
        }
    }

    // ------------------------------------------------------------------ limits

    private InMemoryPorts limited(Limits limits) {
        return new InMemoryPorts(TestConfigs.config(Intervals.defaults(), UnknownAccounts.ROOT, limits));
    }

    @Test
    void afterADenialTheSameAccessWaitsForTheCooldown() {
        InMemoryPorts p = limited(new Limits(Duration.ofHours(1), 0, 0));
        AccessRequest r = p.service.intake(intake("alice@example.com", "ec2:RebootInstances", "123456789012", null)).request();
        p.service.justify(new Commands.Justify(r.id(), UserEmail.of("alice@example.com"), "INC-1", Optional.of("1h"), Origin.api("test")));
        p.clock.set(p.clock.instant().plusSeconds(60));
        Instant deniedAt = p.clock.instant();
        p.service.decide(new Commands.Decide(r.id(), UserEmail.of("pat@example.com"), "deny", "no", Optional.empty(), Origin.api("test")));

        p.clock.set(deniedAt.plus(Duration.ofMinutes(59)));
        for (String spelling : List.of("ec2:RebootInstances", "EC2:rebootinstances")) {
            assertThatThrownBy(() -> p.service.intake(intake("alice@example.com", spelling, "123456789012", null)))
                    .isInstanceOf(RateLimitedException.class)
                    .hasMessageContaining("limits.new-request-after-denial").hasMessageContaining("try again after 2026-03-02T10:01:00Z")
                    .satisfies(e -> {
                        RateLimitedException limit = (RateLimitedException) e;
                        assertThat(limit.limit()).isEqualTo("limits.new-request-after-denial");
                        assertThat(limit.retryAt()).isEqualTo(deniedAt.plus(Duration.ofHours(1)));
                        assertThat(limit.retryAfter()).isEqualTo(Duration.ofMinutes(1));
                    });
        }
        assertThat(p.service.intake(intake("alice@example.com", "ec2:StopInstances", "123456789012", null)).created())
                .as("another access is not held back").isTrue();
        assertThat(p.service.intake(intake("bob@example.com", "ec2:RebootInstances", "123456789012", null)).created())
                .as("another person is not held back").isTrue();
        p.clock.set(deniedAt.plus(Duration.ofHours(1)));
        assertThat(p.service.intake(intake("alice@example.com", "ec2:RebootInstances", "123456789012", null)).created()).isTrue();
    }

    @Test
    void openRequestsPerPersonAreCappedButAReplayOrTheSameAccessIsAnsweredWithWhatExists() {
        InMemoryPorts p = limited(new Limits(Duration.ZERO, 2, 0));
        AccessRequest first = p.service.intake(new Commands.Intake(UserEmail.of("alice@example.com"), "ec2:A", "123456789012", Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.of("test"), Optional.of("key-1"), Origin.api("test"))).request();
        p.service.intake(intake("alice@example.com", "ec2:B", "123456789012", null));
        assertThatThrownBy(() -> p.service.intake(intake("alice@example.com", "ec2:C", "123456789012", null)))
                .isInstanceOf(RateLimitedException.class)
                .hasMessageContaining("2 open requests").hasMessageContaining("limits.open-requests-per-person is 2")
                .satisfies(e -> assertThat(((RateLimitedException) e).retryAt())
                        .as("the first justification deadline").isEqualTo(first.justificationDeadline().orElseThrow()));
        assertThat(p.store.size()).isEqualTo(2);

        var replay = p.service.intake(new Commands.Intake(UserEmail.of("alice@example.com"), "ec2:A", "123456789012", Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.of("test"), Optional.of("key-1"), Origin.api("test")));
        assertThat(replay.created()).isFalse();
        assertThat(replay.request().id()).isEqualTo(first.id());
        var again = p.service.intake(intake("alice@example.com", "ec2:A", "123456789012", null));
        assertThat(again.created()).isFalse();
        assertThat(again.request().id()).isEqualTo(first.id());

        p.service.cancel(first.id(), UserEmail.of("alice@example.com"), Origin.api("test"));
        assertThat(p.service.intake(intake("alice@example.com", "ec2:C", "123456789012", null)).created()).isTrue();
    }

    @Test
    void requestsPerHourPerPersonAreCappedUntilTheOldestLeavesTheHour() {
        InMemoryPorts p = limited(new Limits(Duration.ZERO, 0, 3));
        Instant start = p.clock.instant();
        for (int i = 0; i < 3; i++) {
            p.clock.set(start.plus(Duration.ofMinutes(10L * i)));
            AccessRequest r = p.service.intake(intake("alice@example.com", "ec2:Op" + i, "123456789012", null)).request();
            p.service.cancel(r.id(), UserEmail.of("alice@example.com"), Origin.api("test"));
        }
        p.clock.set(start.plus(Duration.ofMinutes(30)));
        assertThatThrownBy(() -> p.service.intake(intake("alice@example.com", "ec2:Op3", "123456789012", null)))
                .isInstanceOf(RateLimitedException.class).hasMessageContaining("limits.requests-per-hour-per-person is 3")
                .satisfies(e -> assertThat(((RateLimitedException) e).retryAt()).isEqualTo(start.plus(Duration.ofHours(1))));
        p.clock.set(start.plus(Duration.ofHours(1)));
        assertThat(p.service.intake(intake("alice@example.com", "ec2:Op3", "123456789012", null)).created()).isTrue();
    }

    // ------------------------------------------------------------------ admin alerts

    @Test
    void tenJunkAccountsPageEachAdminOnceADay() {
        AccessRequestService service = new AccessRequestService(ports.ctx, ports.provider);
        ports.provider.obstacle = Optional.of(new GrantObstacle("account", "not an account this provider grants on"));
        for (int i = 0; i < 10; i++) {
            String account = "junk-" + i;
            assertThatThrownBy(() -> service.intake(intake("mallory@example.com", "s3:GetObject", account, null)))
                    .isInstanceOf(InvalidInputException.class);
        }
        assertThat(ports.messagesTo("root@example.com")).extracting(OutboundMessage::kind)
                .containsExactly(NotificationKind.ADMIN_CANNOT_GRANT);
        assertThat(ports.messagesTo("mallory@example.com")).as("the requester hears about each account").hasSize(10);

        ports.clock.set(ports.clock.instant().plus(Duration.ofDays(1)));
        assertThatThrownBy(() -> service.intake(intake("mallory@example.com", "s3:GetObject", "junk-11", null)))
                .isInstanceOf(InvalidInputException.class);
        assertThat(ports.messagesTo("root@example.com")).as("the next day, once more").hasSize(2);
    }

    // ------------------------------------------------------------------ startup report

    @Test
    void activeRequestsInAnotherScopeThanTheirAccountsAreReportedOnceToTheAccountsAndTheRootsAdmins() {
        // stored as intake used to accept it: the production account in the root scope, chosen by the requester
        AccessRequest wrong = storedWithScope("bob@example.com", "logs:GetLogEvents", "999999999999", "org/prod");
        AccessRequest right = ports.service.intake(intake("bob@example.com", "logs:Read", "123456789012", null)).request();
        AccessRequest finished = storedWithScope("bob@example.com", "logs:Tail", "999999999999", "org");
        ports.service.cancel(finished.id(), UserEmail.of("bob@example.com"), Origin.api("test"));

        ScopeMismatches check = new ScopeMismatches(ports.ctx);
        List<ScopeMismatches.Mismatch> found = check.report();
        assertThat(found).extracting(m -> m.request().id()).containsExactly(wrong.id());
        assertThat(found.get(0).expected()).isEqualTo(ScopePath.of("org/prod/payments"));
        List<OutboundMessage> alerts = ports.outbox.stream().filter(m -> m.kind() == NotificationKind.ADMIN_SCOPE_MISMATCH).toList();
        assertThat(alerts).extracting(m -> m.recipient().orElseThrow().value()).containsExactly("root@example.com");
        assertThat(alerts.get(0).params()).containsEntry("id", wrong.id().value()).containsEntry("scope", "org/prod")
                .containsEntry("expected", "org/prod/payments").containsEntry("account", "999999999999");

        assertThat(check.report()).as("still found at the next start").hasSize(1);
        assertThat(ports.outbox.stream().filter(m -> m.kind() == NotificationKind.ADMIN_SCOPE_MISMATCH)).as("not reported twice")
                .hasSize(1);
        assertThat(right.scope().value()).isEqualTo("org/prod");
    }

    /** A request as the store may hold it from before the scope followed from the account. */
    private AccessRequest storedWithScope(String requester, String resource, String account, String scope) {
        Instant now = ports.clock.instant();
        AccessRequest r = AccessRequest.create(AccessRequest.builder().id(RequestId.random())
                .requester(UserEmail.of(requester)).resource(resource).account(account).scope(ScopePath.of(scope))
                .source("test").policyName("default").createdAt(now).status(Status.REQUESTED)
                .requestedDuration(dev.clearance.core.model.AccessDuration.parse("1h"))
                .justificationDeadline(now.plus(Duration.ofHours(24))), now, "requested", Origin.api("test"));
        ports.store.insert(r);
        return r;
    }
}
