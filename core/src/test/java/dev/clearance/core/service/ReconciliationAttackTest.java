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
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 20, attacked: reconciliation racing the normal lifecycle, and a provider (a webhook receiver's reconcile
 * answer) that lists what it should not. Reconciliation must never remove access an active request explains, must not
 * cry wolf, and must not act on what Clearance never granted.
 */
class ReconciliationAttackTest {
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

    private List<NotificationKind> adminAlerts() {
        return ports.messagesTo("root@example.com").stream().map(OutboundMessage::kind).toList();
    }

    private long revokesOf(RequestId id) {
        return ports.provider.calls.stream().filter(c -> c.equals("revoke " + id)).count();
    }

    /**
     * Attack: the periodic round takes the provider's listing while a give-back's revoke is on its way; the revoke
     * completes (the request ends) before the round reads the request. The access is gone: no second removal, no
     * "leftover found" alarm to the admins, no audit line claiming a leftover.
     */
    @Test
    void aRequestThatEndsWhileTheRoundIsListingIsNotReportedAsALeftover() throws Exception {
        ports.provider.canList = true;
        AccessRequest r = approved("ec2:RunInstances");
        ports.advance(Duration.ZERO);
        service.cancel(r.id(), UserEmail.of("alice@example.com"), Origin.api("test"));
        ports.provider.onHeld = () -> ports.advance(Duration.ZERO); // the give-back's revoke runs meanwhile
        Reconciliation.Report report = ports.reconciliation.reconcileAll();
        ports.provider.onHeld = () -> { };
        assertThat(stored(r.id()).status()).isEqualTo(Status.ENDED);
        assertThat(ports.provider.holding).isEmpty();
        assertThat(report.removed()).as("nothing was left over").isZero();
        assertThat(adminAlerts()).doesNotContain(NotificationKind.ADMIN_LEFTOVER_REMOVED);
        assertThat(stored(r.id()).history()).extracting(AuditEvent::reason).noneMatch(s -> s.startsWith("reconciliation found"));
        // the next round looks again, and would find it had the revoke not taken it away
        ports.provider.holding.add(r.id());
        ports.advance(Duration.ofMinutes(15));
        assertThat(ports.reconciliation.reconcileAll().removed()).isEqualTo(1);
        assertThat(ports.provider.holding).isEmpty();
    }

    /** Attack: a receiver lists the same ended request thousands of times: one removal, one alert, not one each. */
    @Test
    void aListingThatRepeatsAnEntryRemovesItOnce() throws Exception {
        AccessRequest r = approved("ec2:RunInstances");
        ports.advance(Duration.ZERO);
        service.cancel(r.id(), UserEmail.of("alice@example.com"), Origin.api("test"));
        ports.advance(Duration.ZERO);
        ports.provider.canList = true;
        ports.provider.repeatListing = 1000;
        ports.provider.holding.add(r.id());
        ports.advance(Duration.ofMinutes(1));
        Reconciliation.Report report = ports.reconciliation.reconcileAll();
        assertThat(revokesOf(r.id())).as("the give-back's revoke, then one removal").isEqualTo(2);
        assertThat(report.removed()).isEqualTo(1);
        assertThat(ports.provider.holding).isEmpty();
    }

    /**
     * Attack: a receiver lists ids Clearance never granted for: an extension request (it never grants; a revoke under
     * its id carries the original grant's requester, resource and account), and a request ended before any grant
     * attempt. Reported as unknown, never revoked: a revoke there could take away the live access of the same person.
     */
    @Test
    void aListingThatNamesWhatClearanceNeverGrantedIsReportedNotRevoked() throws Exception {
        AccessRequest live = approved("ec2:RunInstances");
        ports.advance(Duration.ZERO);
        AccessRequest ext = service.extend(new Commands.Extend(live.id(), UserEmail.of("alice@example.com"), "1h", "more",
                Origin.api("test"))).request();
        service.decide(new Commands.Decide(ext.id(), UserEmail.of("pat@example.com"), "deny", "no", Optional.empty(), Origin.api("test")));
        AccessRequest neverGranted = approved("s3:GetObject");
        service.cancel(neverGranted.id(), UserEmail.of("alice@example.com"), Origin.api("test")); // before any attempt
        assertThat(stored(neverGranted.id()).grantState()).isEqualTo(GrantState.NONE);
        ports.provider.canList = true;
        ports.provider.holding.add(ext.id());
        ports.provider.holding.add(neverGranted.id());
        ports.provider.calls.clear();

        Reconciliation.Report report = ports.reconciliation.reconcileAll();

        assertThat(ports.provider.calls).as("no revoke for what Clearance never granted").isEmpty();
        assertThat(report.unknown()).isEqualTo(2);
        assertThat(report.explained()).as("the live grant").isEqualTo(1);
        assertThat(stored(live.id()).status()).isEqualTo(Status.APPROVED);
        assertThat(adminAlerts()).doesNotContain(NotificationKind.ADMIN_LEFTOVER_REMOVED);
    }

    /**
     * Attack: a receiver describes what it holds at great length (a whole policy document). The description goes into
     * the admins' alert, whose stored parameters have a bounded column (4,000 characters): unbounded, the alert's
     * insert failed, the round stopped at that entry every time, and the per-request reconcile timer failed for ever.
     */
    @Test
    void aVeryLongDescriptionIsCutInTheAlertAndTheAuditTrail() throws Exception {
        ports.provider.canList = true;
        ports.provider.grantsEvenWhenFailing = true;
        ports.provider.descriptionTail = " " + "\u0001".repeat(20_000); // each a six-character JSON escape
        AccessRequest r = approved("ec2:RunInstances");
        ports.provider.failuresLeft = 5;
        ports.advance(Duration.ofHours(1)); // every attempt fails (each acted), then the reconcile timer removes it
        assertThat(stored(r.id()).status()).isEqualTo(Status.ENDED);
        assertThat(ports.provider.holding).isEmpty();
        List<OutboundMessage> alerts = ports.messagesTo("root@example.com").stream()
                .filter(m -> m.kind() == NotificationKind.ADMIN_LEFTOVER_REMOVED).toList();
        assertThat(alerts).singleElement().satisfies(m -> assertThat(m.params().get("what")).hasSizeLessThan(600)
                .startsWith("access for " + r.id()));
        assertThat(stored(r.id()).history()).extracting(AuditEvent::reason).allSatisfy(s -> assertThat(s).hasSizeLessThan(3_000));
    }

    /**
     * Attack: the round runs while a grant attempt is in flight, and while a give-back waits for it (REVOKING). Both are
     * explained by their approved request: reconciliation must not revoke ahead of the grant. Defence holds.
     */
    @Test
    void aRoundDuringAGrantInFlightLeavesItToTheRequestsOwnTimers() {
        ports.provider.canList = true;
        AccessRequest r = approved("ec2:RunInstances");
        AccessRequest other = approved("s3:GetObject");
        ports.provider.onCall = g -> {
            if (g.requestId().equals(r.id()) && g.idempotencyKey().endsWith(":grant")) {
                ports.provider.holding.add(r.id()); // the provider acted, the call has not answered
                try {
                    assertThat(ports.reconciliation.reconcileAll().removed()).isZero();
                    service.cancel(r.id(), UserEmail.of("alice@example.com"), Origin.api("test"));
                    assertThat(ports.reconciliation.reconcileAll().removed()).isZero();
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
                assertThat(ports.provider.calls).as("nothing revoked while the grant is in flight")
                        .noneMatch(c -> c.startsWith("revoke"));
            }
        };
        ports.advance(Duration.ZERO);
        ports.provider.onCall = g -> { };
        ports.advance(Duration.ofMinutes(5));
        assertThat(ports.provider.holding).as("the give-back revoked after the grant; the other grant untouched")
                .containsExactly(other.id());
        assertThat(adminAlerts()).doesNotContain(NotificationKind.ADMIN_LEFTOVER_REMOVED);
    }
}
