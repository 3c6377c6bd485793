package dev.clearance.core.service;

import dev.clearance.core.model.AccessRequest;
import dev.clearance.core.model.AuditEvent;
import dev.clearance.core.model.GrantState;
import dev.clearance.core.model.Origin;
import dev.clearance.core.model.RequestId;
import dev.clearance.core.model.Status;
import dev.clearance.core.model.UserEmail;
import dev.clearance.core.notify.NotificationKind;
import dev.clearance.core.notify.OutboundMessage;
import dev.clearance.core.policy.TestConfigs;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reconciliation asks the provider what it holds and removes what no active request explains: after a grant declared
 * failed (at once and again later), and for everything at startup and periodically.
 */
class ReconciliationTest {
    private final InMemoryPorts ports = new InMemoryPorts(TestConfigs.config());
    private final AccessRequestService service = ports.service;

    private AccessRequest approved(String resource) {
        AccessRequest r = service.intake(new Commands.Intake(UserEmail.of("alice@example.com"), resource, "123456789012",
                Optional.empty(), Optional.of("1h"), Optional.empty(), Optional.empty(), Optional.empty(), Origin.api("test"))).request();
        service.justify(new Commands.Justify(r.id(), UserEmail.of("alice@example.com"), "incident 42", Optional.empty(), Origin.api("test")));
        service.decide(new Commands.Decide(r.id(), UserEmail.of("pat@example.com"), "approve", "ok", Optional.empty(), Origin.api("test")));
        return r;
    }

    private AccessRequest stored(RequestId id) {
        return ports.store.find(id).orElseThrow();
    }

    private java.util.List<NotificationKind> adminAlerts() {
        return ports.messagesTo("root@example.com").stream().map(OutboundMessage::kind).toList();
    }

    private void failEveryGrantAttempt(AccessRequest r) {
        ports.provider.failuresLeft = 5;
        ports.advance(Duration.ZERO);
        for (int minute = 0; minute < 120 && stored(r.id()).status() != Status.ENDED; minute++) {
            ports.advance(Duration.ofMinutes(1)); // every retry, stopping before the confirming second look
        }
        assertThat(stored(r.id()).grantState()).isEqualTo(GrantState.FAILED);
        assertThat(stored(r.id()).status()).isEqualTo(Status.ENDED);
    }

    @Test
    void aFailedGrantThatActedAnywayIsFoundAndRemovedAndAdminsAreTold() {
        ports.provider.canList = true;
        ports.provider.grantsEvenWhenFailing = true;
        AccessRequest r = approved("ec2:RunInstances");
        failEveryGrantAttempt(r);
        assertThat(ports.provider.holding).as("removed right after the grant was declared failed").isEmpty();
        assertThat(adminAlerts()).containsExactly(NotificationKind.ADMIN_GRANT_FAILED, NotificationKind.ADMIN_LEFTOVER_REMOVED);
        assertThat(stored(r.id()).history()).extracting(AuditEvent::reason)
                .anyMatch(s -> s.contains("reconciliation found access for " + r.id() + " at provider 'recording'"
                        + " although the request is ended, its grant declared failed; removed"));
    }

    @Test
    void aFailedGrantThatCompletesLaterIsRemovedByTheSecondLook() {
        ports.provider.canList = true;
        AccessRequest r = approved("ec2:RunInstances");
        failEveryGrantAttempt(r);
        assertThat(ports.provider.holding).isEmpty();
        // the slow creation finishes after Clearance gave up on it
        ports.provider.holding.add(r.id());
        ports.advance(Reconciliation.CONFIRM_AFTER.plusMinutes(1));
        assertThat(ports.provider.holding).isEmpty();
        assertThat(adminAlerts()).containsExactly(NotificationKind.ADMIN_GRANT_FAILED, NotificationKind.ADMIN_LEFTOVER_REMOVED);
    }

    @Test
    void aFailedGrantThatGrantedNothingIsConfirmedToTheAdmins() {
        ports.provider.canList = true;
        AccessRequest r = approved("ec2:RunInstances");
        failEveryGrantAttempt(r);
        assertThat(adminAlerts()).containsExactly(NotificationKind.ADMIN_GRANT_FAILED);
        ports.advance(Reconciliation.CONFIRM_AFTER.plusMinutes(1));
        assertThat(adminAlerts()).containsExactly(NotificationKind.ADMIN_GRANT_FAILED, NotificationKind.ADMIN_GRANT_FAILED_CONFIRMED);
        assertThat(ports.provider.calls.stream().filter(c -> c.startsWith("revoke"))).as("nothing to remove").isEmpty();
        assertThat(stored(r.id()).history()).extracting(AuditEvent::reason)
                .anyMatch(s -> s.contains("reconciliation confirmed: provider 'recording' holds nothing for this request"));
    }

    @Test
    void aProviderThatCannotListGetsABlindRevokeAfterAFailedGrant() {
        ports.provider.canList = false;
        ports.provider.grantsEvenWhenFailing = true;
        AccessRequest r = approved("ec2:RunInstances");
        failEveryGrantAttempt(r);
        assertThat(ports.provider.holding).isEmpty();
        assertThat(stored(r.id()).history()).extracting(AuditEvent::reason)
                .anyMatch(s -> s.contains("cannot list what it holds, so a revoke was sent for"));
    }

    @Test
    void aFailingRemovalIsTriedAgainUntilItSucceeds() {
        ports.provider.canList = true;
        ports.provider.grantsEvenWhenFailing = true;
        AccessRequest r = approved("ec2:RunInstances");
        ports.provider.failuresLeft = 5 + 2; // every grant attempt, then the first two removals
        ports.advance(Duration.ZERO);
        ports.advance(Duration.ofHours(2));
        assertThat(ports.provider.holding).isEmpty();
        assertThat(stored(r.id()).history()).extracting(AuditEvent::reason)
                .anyMatch(s -> s.contains("removing it failed (provider down); tried again"));
    }

    @Test
    void reconcilingEverythingRemovesOnlyWhatNoActiveRequestExplains() throws Exception {
        ports.provider.canList = true;
        AccessRequest active = approved("ec2:RunInstances");
        AccessRequest ended = approved("s3:GetObject");
        ports.advance(Duration.ZERO);
        assertThat(ports.provider.holding).containsExactlyInAnyOrder(active.id(), ended.id());
        // the revoke "succeeded" at Clearance, but the provider still holds it (a receiver that re-applied a late grant)
        service.cancel(ended.id(), UserEmail.of("alice@example.com"), Origin.api("test"));
        ports.advance(Duration.ZERO);
        ports.provider.holding.add(ended.id());
        RequestId stranger = RequestId.random();
        ports.provider.holding.add(stranger);
        // (a round at the very instant of the end defers it to the next: see ReconciliationAttackTest)
        ports.advance(Duration.ofMinutes(1));

        Reconciliation.Report report = ports.reconciliation.reconcileAll();

        assertThat(report.removed()).isEqualTo(1);
        assertThat(report.explained()).isEqualTo(1);
        assertThat(report.unknown()).as("not Clearance's to remove: reported").isEqualTo(1);
        assertThat(ports.provider.holding).containsExactlyInAnyOrder(active.id(), stranger);
        assertThat(stored(active.id()).status()).isEqualTo(Status.APPROVED);
        assertThat(adminAlerts()).containsExactly(NotificationKind.ADMIN_LEFTOVER_REMOVED);
        assertThat(stored(ended.id()).history()).extracting(AuditEvent::reason)
                .anyMatch(s -> s.contains("reconciliation found access for " + ended.id()) && s.contains("; removed"));
    }

    @Test
    void aProviderThatCannotListIsReportedAsSuch() throws Exception {
        ports.provider.canList = false;
        Reconciliation.Report report = ports.reconciliation.reconcileAll();
        assertThat(report.providerCanList()).isFalse();
        assertThat(report.toString()).isEqualTo("the provider cannot list what it holds");
    }
}
