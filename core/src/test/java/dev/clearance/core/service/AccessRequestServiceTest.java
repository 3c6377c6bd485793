package dev.clearance.core.service;

import dev.clearance.core.model.AccessRequest;
import dev.clearance.core.model.ConflictException;
import dev.clearance.core.model.ForbiddenException;
import dev.clearance.core.model.GrantState;
import dev.clearance.core.model.InvalidInputException;
import dev.clearance.core.model.Origin;
import dev.clearance.core.model.Status;
import dev.clearance.core.model.UserEmail;
import dev.clearance.core.notify.NotificationKind;
import dev.clearance.core.notify.OutboundMessage;
import dev.clearance.core.policy.TestConfigs;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AccessRequestServiceTest {
    private final InMemoryPorts ports = new InMemoryPorts(TestConfigs.config());
    private final AccessRequestService service = ports.service;

    private AccessRequest intake(String resource, String account, String duration) {
        return service.intake(new Commands.Intake(UserEmail.of("alice@example.com"), resource, account, Optional.empty(),
                Optional.ofNullable(duration), Optional.empty(), Optional.of("test"), Optional.empty(), Origin.api("test"))).request();
    }

    private AccessRequest justify(AccessRequest r, String duration) {
        return service.justify(new Commands.Justify(r.id(), UserEmail.of("alice@example.com"), "incident 42", Optional.ofNullable(duration), Origin.api("test")));
    }

    private AccessRequest decide(AccessRequest r, String who, String decision) {
        return service.decide(new Commands.Decide(r.id(), UserEmail.of(who + "@example.com"), decision, "looks right", Optional.empty(), Origin.api("test")));
    }

    /** Quartz fires a trigger up to a few milliseconds early; the deadline it was set for still counts as reached. */
    @Test
    void aTimerFiredAMomentBeforeItsTimeStillEndsTheGrantAndTheWait() {
        AccessRequest r = intake("logs:Read", "123456789012", null);
        justify(r, "1h");
        decide(r, "pat", "approve");
        ports.advance(Duration.ZERO);
        AccessRequest granted = ports.store.find(r.id()).orElseThrow();
        java.time.Instant end = granted.expiresAt().orElseThrow();
        ports.timers.remove(r.id() + "/REVOKE");
        ports.clock.set(end.minusMillis(2));
        ports.lifecycleTimers.fire(r.id(), dev.clearance.core.port.TimerKind.REVOKE, end);
        AccessRequest ended = ports.store.find(r.id()).orElseThrow();
        assertThat(ended.status()).as("revoked by the timer set for the end").isEqualTo(Status.ENDED);
        assertThat(ports.provider.calls).containsExactly("grant " + r.id(), "revoke " + r.id());

        AccessRequest waiting = intake("logs:Write", "123456789012", null);
        justify(waiting, "1h");
        java.time.Instant deadline = ports.store.find(waiting.id()).orElseThrow().pendingDeadline().orElseThrow();
        ports.clock.set(deadline.minusMillis(2));
        ports.lifecycleTimers.fire(waiting.id(), dev.clearance.core.port.TimerKind.PENDING_EXPIRY, deadline);
        assertThat(ports.store.find(waiting.id()).orElseThrow().status()).isEqualTo(Status.EXPIRED);
    }

    @Test
    void intakeAsksForJustificationAndSchedulesItsExpiry() {
        AccessRequest r = intake("s3:DeleteBucket", "123456789012", null);
        assertThat(r.status()).isEqualTo(Status.REQUESTED);
        assertThat(r.scope().value()).isEqualTo("org/prod");
        assertThat(r.policyName()).isEqualTo("prod-delete");
        assertThat(r.requestedDuration().toString()).as("until-revoked is capped by the policy max").isEqualTo("8h");
        assertThat(ports.messagesTo("alice@example.com")).extracting(OutboundMessage::kind)
                .containsExactly(NotificationKind.JUSTIFICATION_PROMPT);
        assertThat(ports.timers).containsKey(r.id() + "/JUSTIFICATION_EXPIRY");
    }

    @Test
    void twoStepApprovalNeedsDistinctApproversThenGrantsAndRevokesOnTime() {
        AccessRequest r = intake("s3:DeleteBucket", "123456789012", null);
        justify(r, "4h");
        assertThat(ports.messagesTo("sec1@example.com")).extracting(OutboundMessage::kind).containsExactly(NotificationKind.APPROVAL_REQUEST);
        assertThat(ports.messagesTo("pat@example.com")).as("step 2 approvers wait for step 1").isEmpty();

        AccessRequest afterOne = decide(r, "sec1", "approve");
        assertThat(afterOne.currentStep()).isZero();
        assertThatThrownBy(() -> decide(r, "sec1", "approve")).isInstanceOf(ConflictException.class).hasMessageContaining("already approved");
        AccessRequest afterTwo = decide(r, "sec2", "approve");
        assertThat(afterTwo.currentStep()).isEqualTo(1);
        assertThat(ports.messagesTo("pat@example.com")).extracting(OutboundMessage::kind).containsExactly(NotificationKind.APPROVAL_REQUEST);
        assertThatThrownBy(() -> decide(r, "sec3", "approve")).as("step 1 approvers are not eligible for step 2")
                .isInstanceOf(ForbiddenException.class);

        AccessRequest approved = decide(r, "pat", "approve");
        assertThat(approved.status()).isEqualTo(Status.APPROVED);
        assertThat(approved.grantState()).isEqualTo(GrantState.GRANTING);
        ports.advance(Duration.ZERO);
        AccessRequest granted = ports.store.find(r.id()).orElseThrow();
        assertThat(granted.grantState()).isEqualTo(GrantState.ACTIVE);
        assertThat(granted.expiresAt()).contains(ports.clock.instant().plus(Duration.ofHours(4)));
        assertThat(ports.provider.calls).containsExactly("grant " + r.id());

        ports.advance(Duration.ofHours(4).minusSeconds(1));
        assertThat(ports.store.find(r.id()).orElseThrow().status()).isEqualTo(Status.APPROVED);
        ports.advance(Duration.ofSeconds(1));
        AccessRequest ended = ports.store.find(r.id()).orElseThrow();
        assertThat(ended.status()).isEqualTo(Status.ENDED);
        assertThat(ended.grantState()).isEqualTo(GrantState.REVOKED);
        assertThat(ports.provider.calls).containsExactly("grant " + r.id(), "revoke " + r.id());
        assertThat(ports.messagesTo("alice@example.com")).extracting(OutboundMessage::kind).contains(
                NotificationKind.REQUEST_APPROVED, NotificationKind.ACCESS_GRANTED, NotificationKind.ACCESS_ENDED);
    }

    @Test
    void theProviderIsAskedToGrantOnlyOnceApprovalAndItsRevokeTimerAreStored() {
        AccessRequest r = service.intake(new Commands.Intake(UserEmail.of("pat@example.com"), "logs:Tail", "123456789012",
                Optional.empty(), Optional.of("1h"), Optional.empty(), Optional.empty(), Optional.empty(), Origin.api("test"))).request();
        decide(r, "pat", "approve");
        java.util.List<String> seen = new java.util.ArrayList<>();
        ports.provider.onCall = g -> seen.add(ports.store.find(r.id()).orElseThrow().status() + " revoke-timer="
                + ports.timers.get(r.id() + "/REVOKE"));
        ports.advance(Duration.ZERO);
        assertThat(seen).containsExactly("APPROVED revoke-timer=" + ports.clock.instant().plus(Duration.ofHours(1)));
        assertThat(ports.store.find(r.id()).orElseThrow().grantState()).isEqualTo(GrantState.ACTIVE);
    }

    @Test
    void cancellingBeforeTheGrantStartsEndsTheRequestWithoutAskingTheProviderAnything() {
        AccessRequest r = service.intake(new Commands.Intake(UserEmail.of("pat@example.com"), "logs:Tail", "123456789012",
                Optional.empty(), Optional.of("1h"), Optional.empty(), Optional.empty(), Optional.empty(), Origin.api("test"))).request();
        decide(r, "pat", "approve");
        AccessRequest cancelled = service.cancel(r.id(), UserEmail.of("pat@example.com"), Origin.api("test"));
        assertThat(cancelled.status()).isEqualTo(Status.ENDED);
        assertThat(cancelled.grantState()).isEqualTo(GrantState.NONE);
        ports.advance(Duration.ofHours(2));
        assertThat(ports.provider.calls).as("no grant, so no revoke either").isEmpty();
        assertThat(ports.timers).doesNotContainKeys(r.id() + "/GRANT", r.id() + "/REVOKE");
    }

    @Test
    void cancellingAfterAFailedGrantAttemptStillRevokes() {
        AccessRequest r = service.intake(new Commands.Intake(UserEmail.of("pat@example.com"), "logs:Tail", "123456789012",
                Optional.empty(), Optional.of("1h"), Optional.empty(), Optional.empty(), Optional.empty(), Origin.api("test"))).request();
        decide(r, "pat", "approve");
        ports.provider.failuresLeft = 1;
        ports.advance(Duration.ZERO);
        assertThat(ports.store.find(r.id()).orElseThrow().grantState()).isEqualTo(GrantState.GRANTING);
        service.cancel(r.id(), UserEmail.of("pat@example.com"), Origin.api("test"));
        ports.advance(Duration.ZERO);
        assertThat(ports.provider.calls).as("the failed call may have reached the provider: take it back")
                .containsExactly("grant " + r.id(), "revoke " + r.id());
        assertThat(ports.store.find(r.id()).orElseThrow().status()).isEqualTo(Status.ENDED);
    }

    @Test
    void aSecondClickAfterTheFirstCompletedItsStepHearsAlreadyApprovedNotIneligible() {
        AccessRequest r = intake("s3:DeleteBucket", "123456789012", null);
        justify(r, "4h");
        decide(r, "sec1", "approve");
        decide(r, "sec2", "approve");
        assertThat(ports.store.find(r.id()).orElseThrow().currentStep()).as("step 1 is complete").isEqualTo(1);
        assertThatThrownBy(() -> decide(r, "sec2", "approve"))
                .as("409, not 403: the vote exists, the person is simply no longer needed")
                .isInstanceOf(ConflictException.class).hasMessageContaining("you already approved " + r.id());
    }

    @Test
    void oneDenyEndsTheRequestAndLaterClicksAreToldWhoDecided() {
        AccessRequest r = intake("s3:DeleteBucket", "123456789012", null);
        justify(r, null);
        decide(r, "sec1", "approve");
        AccessRequest denied = decide(r, "sec2", "deny");
        assertThat(denied.status()).isEqualTo(Status.DENIED);
        assertThat(denied.decidedBy()).contains("sec2@example.com");
        assertThatThrownBy(() -> decide(r, "sec3", "approve")).isInstanceOf(ConflictException.class)
                .hasMessageContaining("already denied by sec2@example.com");
        assertThat(ports.timers).doesNotContainKeys(r.id() + "/PENDING_EXPIRY", r.id() + "/ESCALATION");
    }

    @Test
    void selfApprovalForbiddenRefusesTheRequestersVote() {
        AccessRequest r = service.intake(new Commands.Intake(UserEmail.of("pat@example.com"), "ec2:RunInstances", "123456789012",
                Optional.empty(), Optional.empty(), Optional.of("need it"), Optional.empty(), Optional.empty(), Origin.api("test"))).request();
        assertThat(r.status()).isEqualTo(Status.PENDING);
        assertThatThrownBy(() -> service.decide(new Commands.Decide(r.id(), UserEmail.of("pat@example.com"), "approve", "me", Optional.empty(), Origin.api("test"))))
                .isInstanceOf(ForbiddenException.class).hasMessageContaining("self-approval is forbidden");
        assertThat(ports.store.find(r.id()).orElseThrow().votes()).isEmpty();
    }

    @Test
    void selfApprovalAllowedSkipsJustificationAndLetsTheRequesterApprove() {
        AccessRequest r = service.intake(new Commands.Intake(UserEmail.of("pat@example.com"), "logs:Tail", "123456789012",
                Optional.empty(), Optional.of("1h"), Optional.empty(), Optional.empty(), Optional.empty(), Origin.api("test"))).request();
        assertThat(r.status()).isEqualTo(Status.PENDING);
        assertThat(ports.messagesTo("pat@example.com")).extracting(OutboundMessage::kind).containsExactly(NotificationKind.APPROVAL_REQUEST);
        AccessRequest approved = service.decide(new Commands.Decide(r.id(), UserEmail.of("pat@example.com"), "approve", "routine", Optional.empty(), Origin.api("test")));
        assertThat(approved.status()).isEqualTo(Status.APPROVED);
    }

    @Test
    void ineligibleApproverIsRefusedAndNothingChanges() {
        AccessRequest r = intake("ec2:RunInstances", "123456789012", null);
        justify(r, null);
        long versionBefore = ports.store.find(r.id()).orElseThrow().version();
        assertThatThrownBy(() -> decide(r, "sec1", "approve")).isInstanceOf(ForbiddenException.class)
                .hasMessageContaining("not an approver");
        assertThat(ports.store.find(r.id()).orElseThrow().version()).isEqualTo(versionBefore);
    }

    @Test
    void approversAboveTheRequestScopeMayDecideScopeApproverSteps() {
        AccessRequest r = intake("ec2:RunInstances", "123456789012", null);
        justify(r, null);
        assertThat(ports.messagesTo("olga@example.com")).as("only the nearest level is pinged").isEmpty();
        assertThat(decide(r, "olga", "approve").status()).isEqualTo(Status.APPROVED);
    }

    @Test
    void escalationAfterAnHourReachesTheParentScopeThenTheAdmins() {
        AccessRequest r = intake("s3:DeleteBucket", "123456789012", null);
        justify(r, null);
        ports.advance(Duration.ofMinutes(59));
        assertThat(ports.messagesTo("pat@example.com")).isEmpty();
        ports.advance(Duration.ofMinutes(1));
        assertThat(ports.store.find(r.id()).orElseThrow().escalationLevel()).isEqualTo(1);
        assertThat(ports.messagesTo("pat@example.com")).extracting(OutboundMessage::kind).containsExactly(NotificationKind.APPROVAL_REQUEST);
        ports.advance(Duration.ofHours(1));
        assertThat(ports.messagesTo("olga@example.com")).hasSize(1);
        ports.advance(Duration.ofHours(1));
        ports.advance(Duration.ofHours(1));
        assertThat(ports.messagesTo("root@example.com")).as("admins are repeated past the root").hasSize(2);
        // pat was pinged by escalation, so pat's approval counts for the security step now
        AccessRequest voted = decide(r, "pat", "approve");
        assertThat(voted.votesAt(0)).hasSize(1);
    }

    @Test
    void pendingRequestsExpireAfterTheWindow() {
        AccessRequest r = intake("ec2:RunInstances", "123456789012", null);
        justify(r, null);
        ports.advance(Duration.ofHours(24));
        AccessRequest expired = ports.store.find(r.id()).orElseThrow();
        assertThat(expired.status()).isEqualTo(Status.EXPIRED);
        assertThat(ports.messagesTo("alice@example.com")).extracting(OutboundMessage::kind).contains(NotificationKind.REQUEST_EXPIRED);
        assertThat(ports.timers.keySet()).noneMatch(k -> k.startsWith(r.id().value()));
    }

    @Test
    void unjustifiedRequestsExpireAndTheNoAnswerAbandons() {
        AccessRequest r = intake("ec2:RunInstances", "123456789012", null);
        ports.advance(Duration.ofHours(24));
        assertThat(ports.store.find(r.id()).orElseThrow().status()).isEqualTo(Status.ABANDONED_EXPIRED);
        AccessRequest again = intake("ec2:RunInstances", "123456789012", null);
        assertThat(again.id()).as("a new request after ABANDONED_EXPIRED").isNotEqualTo(r.id());
        assertThat(service.abandon(again.id(), UserEmail.of("alice@example.com"), Origin.api("test")).status()).isEqualTo(Status.ABANDONED);
    }

    @Test
    void intakeIsDedupedWhileActive() {
        AccessRequest first = intake("ec2:RunInstances", "123456789012", null);
        int messages = ports.outbox.size();
        var second = service.intake(new Commands.Intake(UserEmail.of("ALICE@example.com"), "ec2:RunInstances", "123456789012",
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Origin.api("test")));
        assertThat(second.created()).isFalse();
        assertThat(second.request().id()).isEqualTo(first.id());
        assertThat(ports.outbox).hasSize(messages);
    }

    @Test
    void durationsOutsideTheMenuOrAboveTheCapAreRefused() {
        assertThatThrownBy(() -> intake("s3:DeleteBucket", "123456789012", "1d"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("15m, 1h, 4h, 8h");
        assertThatThrownBy(() -> intake("ec2:RunInstances", "123456789012", "2h"))
                .isInstanceOf(InvalidInputException.class);
        AccessRequest r = intake("ec2:RunInstances", "123456789012", "1h");
        justify(r, null);
        // an approver may pick any value up to the max
        AccessRequest approved = service.decide(new Commands.Decide(r.id(), UserEmail.of("pat@example.com"), "approve", "ok", Optional.of("2h"), Origin.api("test")));
        assertThat(approved.approvedDuration().orElseThrow().toString()).isEqualTo("2h");
    }

    @Test
    void approverOverrideAboveThePolicyMaxIsRefused() {
        AccessRequest r = intake("s3:DeleteBucket", "123456789012", "1h");
        justify(r, null);
        assertThatThrownBy(() -> service.decide(new Commands.Decide(r.id(), UserEmail.of("sec1@example.com"), "approve", "ok", Optional.of("9h"), Origin.api("test"))))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("exceeds the maximum");
        assertThat(ports.store.find(r.id()).orElseThrow().votes()).isEmpty();
    }

    @Test
    void decisionsNeedAReasonAndAValidVerdict() {
        AccessRequest r = intake("ec2:RunInstances", "123456789012", null);
        justify(r, null);
        assertThatThrownBy(() -> service.decide(new Commands.Decide(r.id(), UserEmail.of("pat@example.com"), "approve", " ", Optional.empty(), Origin.api("test"))))
                .isInstanceOf(InvalidInputException.class).extracting("field").isEqualTo("reason");
        assertThatThrownBy(() -> service.decide(new Commands.Decide(r.id(), UserEmail.of("pat@example.com"), "maybe", "x", Optional.empty(), Origin.api("test"))))
                .isInstanceOf(InvalidInputException.class).extracting("field").isEqualTo("decision");
    }

    @Test
    void grantFailuresRetryWithBackoffThenEndTheRequestAndAlertAdmins() {
        ports.provider.failuresLeft = 100;
        AccessRequest r = intake("ec2:RunInstances", "123456789012", "1h");
        justify(r, null);
        decide(r, "pat", "approve");
        ports.advance(Duration.ZERO);
        assertThat(ports.store.find(r.id()).orElseThrow().grantState()).isEqualTo(GrantState.GRANTING);
        ports.advance(Duration.ofHours(1));
        AccessRequest failed = ports.store.find(r.id()).orElseThrow();
        assertThat(ports.provider.calls.stream().filter(c -> c.startsWith("grant"))).hasSize(5);
        assertThat(failed.grantState()).isEqualTo(GrantState.FAILED);
        assertThat(failed.status()).isEqualTo(Status.ENDED);
        assertThat(ports.messagesTo("root@example.com")).extracting(OutboundMessage::kind).contains(NotificationKind.ADMIN_GRANT_FAILED);
    }

    @Test
    void revokeIsRetriedUntilItSucceedsAndAdminsHearOfIt() {
        AccessRequest r = intake("ec2:RunInstances", "123456789012", "1h");
        justify(r, null);
        decide(r, "pat", "approve");
        ports.advance(Duration.ZERO);
        ports.provider.failuresLeft = 7;
        ports.advance(Duration.ofHours(1));
        AccessRequest failing = ports.store.find(r.id()).orElseThrow();
        assertThat(failing.status()).isEqualTo(Status.APPROVED);
        assertThat(failing.grantState()).isEqualTo(GrantState.REVOKING);
        assertThat(ports.messagesTo("root@example.com")).extracting(OutboundMessage::kind).containsExactly(NotificationKind.ADMIN_REVOKE_FAILING);
        ports.advance(Duration.ofHours(3));
        AccessRequest ended = ports.store.find(r.id()).orElseThrow();
        assertThat(ended.status()).isEqualTo(Status.ENDED);
        assertThat(ended.grantState()).isEqualTo(GrantState.REVOKED);
        assertThat(ports.provider.calls.stream().filter(c -> c.startsWith("revoke"))).hasSize(8);
    }

    @Test
    void adminsRevokeEarlyOthersMayNot() {
        AccessRequest r = intake("ec2:RunInstances", "123456789012", null);
        justify(r, null);
        decide(r, "pat", "approve");
        ports.advance(Duration.ZERO);
        assertThatThrownBy(() -> service.revoke(r.id(), UserEmail.of("pat@example.com"), "done", Origin.api("test")))
                .isInstanceOf(ForbiddenException.class);
        service.revoke(r.id(), UserEmail.of("root@example.com"), "incident closed", Origin.api("test"));
        ports.advance(Duration.ZERO);
        AccessRequest ended = ports.store.find(r.id()).orElseThrow();
        assertThat(ended.status()).isEqualTo(Status.ENDED);
        assertThat(ended.history().get(ended.history().size() - 1).reason()).contains("incident closed");
    }

    @Test
    void requesterCancelsBeforeADecision() {
        AccessRequest r = intake("ec2:RunInstances", "123456789012", null);
        assertThatThrownBy(() -> service.cancel(r.id(), UserEmail.of("pat@example.com"), Origin.api("test"))).isInstanceOf(ForbiddenException.class);
        assertThat(service.cancel(r.id(), UserEmail.of("alice@example.com"), Origin.api("test")).status()).isEqualTo(Status.CANCELLED);
        assertThatThrownBy(() -> service.cancel(r.id(), UserEmail.of("alice@example.com"), Origin.api("test"))).isInstanceOf(ConflictException.class);
    }

    @Test
    void everyChangeIsAudited() {
        AccessRequest r = intake("ec2:RunInstances", "123456789012", null);
        justify(r, null);
        decide(r, "pat", "deny");
        AccessRequest stored = ports.store.find(r.id()).orElseThrow();
        assertThat(stored.history()).extracting(e -> e.from() + "->" + e.to())
                .containsExactly("null->REQUESTED", "REQUESTED->PENDING", "PENDING->DENIED");
        assertThat(stored.history().get(2).actor()).isEqualTo("pat@example.com");
        assertThat(stored.history().get(2).reason()).isEqualTo("looks right");
    }
}
