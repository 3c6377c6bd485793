package dev.clearance.core.service;

import dev.clearance.core.model.AccessRequest;
import dev.clearance.core.model.AuditEvent;
import dev.clearance.core.model.ConflictException;
import dev.clearance.core.model.GrantState;
import dev.clearance.core.model.Origin;
import dev.clearance.core.model.RequestId;
import dev.clearance.core.model.Status;
import dev.clearance.core.model.UserEmail;
import dev.clearance.core.port.TimerKind;
import dev.clearance.core.policy.TestConfigs;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 20, attacked: interleavings of a grant attempt in flight with give-backs, admin revokes, lost and re-run GRANT
 * jobs and late answers. The provider is the stateful fake: "holding" is what it would leave live. Each test states the
 * attack; each must end with nothing held for a request Clearance shows ended, and no request stuck.
 */
class GrantRevokeRaceAttackTest {
    private final InMemoryPorts ports = new InMemoryPorts(TestConfigs.config());
    private final AccessRequestService service = ports.service;

    private AccessRequest approved() {
        return approved(Optional.empty());
    }

    /** Approved, with the approver's duration when given. */
    private AccessRequest approved(Optional<String> approverDuration) {
        AccessRequest r = service.intake(new Commands.Intake(UserEmail.of("alice@example.com"), "ec2:RunInstances", "123456789012",
                Optional.empty(), Optional.of("1h"), Optional.empty(), Optional.empty(), Optional.empty(), Origin.api("test"))).request();
        service.justify(new Commands.Justify(r.id(), UserEmail.of("alice@example.com"), "incident 42", Optional.empty(), Origin.api("test")));
        service.decide(new Commands.Decide(r.id(), UserEmail.of("pat@example.com"), "approve", "ok", approverDuration, Origin.api("test")));
        return r;
    }

    private AccessRequest stored(RequestId id) {
        return ports.store.find(id).orElseThrow();
    }

    private void giveBack(RequestId id) {
        service.cancel(id, UserEmail.of("alice@example.com"), Origin.api("test"));
    }

    private static boolean isGrant(dev.clearance.core.port.AccessGrant g) {
        return g.idempotencyKey().endsWith(":grant");
    }

    /**
     * Attack: the grant call hangs past LOST_GRANT_ATTEMPT (a stuck thread, an instance paused), so the waiting revoke
     * goes ahead and the request ends; then the call comes back as a failure (a timeout) although the provider acted.
     * A failed call may have granted: the late answer must be reconciled like a late success.
     */
    @Test
    void aLateFailedAnswerAfterTheLostAttemptWasRevokedIsStillReconciled() {
        AccessRequest r = approved();
        ports.provider.grantsEvenWhenFailing = true;
        ports.provider.onCall = g -> {
            if (isGrant(g)) {
                giveBack(r.id());
                ports.advance(ProviderTimers.LOST_GRANT_ATTEMPT.plusMinutes(1));
                assertThat(stored(r.id()).status()).as("the revoke went ahead once the attempt was taken as lost")
                        .isEqualTo(Status.ENDED);
                ports.provider.failuresLeft = 1; // the grant call now times out, after the provider acted
            }
        };
        ports.advance(Duration.ZERO);
        ports.provider.onCall = g -> { };
        ports.advance(Duration.ofHours(2));
        assertThat(ports.provider.holding).as("a late grant that failed but acted is found and removed").isEmpty();
        assertThat(stored(r.id()).status()).isEqualTo(Status.ENDED);
    }

    /**
     * Attack: the revoke sent past the lost attempt reaches the provider first; the "lost" grant then lands (the receiver
     * applied it second, as in the issue) and its answer is recorded while the revoke's answer is still on its way. The
     * revoke's answer then ends the request: the access the grant made after the revoke must still be removed. Here the
     * attempt is taken as lost by its GRANT timer running again; below, by its mark timing out.
     */
    @Test
    void aLostAttemptThatLandsAfterItsRevokeAndAnswersBeforeTheRevokesOutcomeIsStillRemoved() throws Exception {
        landsAfterItsRevoke(true);
    }

    @Test
    void aTimedOutAttemptThatLandsAfterItsRevokeAndAnswersBeforeTheRevokesOutcomeIsStillRemoved() throws Exception {
        landsAfterItsRevoke(false);
    }

    private void landsAfterItsRevoke(boolean grantTimerRunsAgain) {
        AccessRequest r = approved();
        java.util.concurrent.CountDownLatch grantCalled = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch revoked = new java.util.concurrent.CountDownLatch(1);
        ports.provider.onCall = g -> {
            if (isGrant(g)) {
                grantCalled.countDown();
                await(revoked); // the receiver holds the grant back until it has applied the revoke
            }
        };
        ports.timers.remove(r.id() + "/" + TimerKind.GRANT);
        Instant due = ports.clock.instant();
        Thread slowGrant = new Thread(() -> ports.lifecycleTimers.fire(r.id(), TimerKind.GRANT, due));
        slowGrant.start();
        await(grantCalled);
        if (!grantTimerRunsAgain) {
            ports.timers.remove(r.id() + "/" + TimerKind.GRANT); // the claim's GRANT timer is lost too
        }
        giveBack(r.id());
        ports.provider.afterCall = g -> {
            if (g.idempotencyKey().endsWith(":revoke")) {
                revoked.countDown();
                join(slowGrant); // the grant lands and its answer is recorded before the revoke answers
            }
        };
        ports.advance(ProviderTimers.LOST_GRANT_ATTEMPT.plusMinutes(1));
        ports.provider.afterCall = g -> { };
        ports.provider.onCall = g -> { };
        assertThat(ports.provider.calls).as("the revoke reached the provider before the grant")
                .containsSubsequence("revoke " + r.id(), "grant " + r.id());
        ports.advance(Duration.ofHours(2));
        assertThat(stored(r.id()).status()).isEqualTo(Status.ENDED);
        assertThat(ports.provider.holding).as("the grant that landed after the revoke is removed").isEmpty();
        assertThat(stored(r.id()).history()).extracting(AuditEvent::reason).anyMatch(s -> s.contains(grantTimerRunsAgain
                ? "the grant attempt in flight never answered" : "the grant attempt taken as lost answered while"));
    }

    private static void await(java.util.concurrent.CountDownLatch latch) {
        try {
            assertThat(latch.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private static void join(Thread t) {
        try {
            t.join(10_000);
            assertThat(t.isAlive()).isFalse();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /** The same late answer as a success: reconciled (blind revoke, the provider cannot list). Defence holds. */
    @Test
    void aLateSuccessfulAnswerAfterTheLostAttemptWasRevokedIsReconciled() {
        AccessRequest r = approved();
        ports.provider.onCall = g -> {
            if (isGrant(g)) {
                giveBack(r.id());
                ports.advance(ProviderTimers.LOST_GRANT_ATTEMPT.plusMinutes(1));
            }
        };
        ports.advance(Duration.ZERO);
        ports.provider.onCall = g -> { };
        ports.advance(Duration.ofHours(2));
        assertThat(ports.provider.holding).isEmpty();
        assertThat(stored(r.id()).history()).extracting(AuditEvent::reason)
                .anyMatch(s -> s.contains("a late grant attempt answered after the request ended"));
    }

    /**
     * Attack: two GRANT jobs for one request (a Quartz cluster declared the slow instance dead and recovered its job
     * while the first call is still open), after a give-back. The recovered job takes the attempt as lost and revokes
     * at once; the first call then grants and answers with a timeout. Must end with nothing held.
     */
    @Test
    void aRecoveredGrantJobRunningBesideTheLiveAttemptLeavesNothingEvenIfTheLiveOneTimesOutAfterActing() {
        AccessRequest r = approved();
        ports.provider.grantsEvenWhenFailing = true;
        ports.provider.onCall = g -> {
            if (isGrant(g)) {
                giveBack(r.id());
                ports.lifecycleTimers.fire(r.id(), TimerKind.GRANT, ports.clock.instant()); // the recovered job
                ports.advance(Duration.ZERO);
                assertThat(stored(r.id()).status()).isEqualTo(Status.ENDED);
                ports.provider.failuresLeft = 1;
            }
        };
        ports.advance(Duration.ZERO);
        ports.provider.onCall = g -> { };
        ports.advance(Duration.ofHours(2));
        assertThat(ports.provider.holding).isEmpty();
    }

    /**
     * Attack: the instance dies during the grant call (the provider acted) and Quartz never re-runs the GRANT job (its
     * recovery failed, or the job threw an Error). Nobody cancels. The REVOKE timer scheduled with the claim must still
     * take the access away at the approved end, and the request must not stay "granting" for ever.
     */
    @Test
    void aLostAttemptThatIsNeverRecoveredIsStillRevokedAtTheApprovedEnd() {
        AccessRequest r = approved();
        ports.provider.onCall = g -> {
            if (isGrant(g)) {
                ports.provider.holding.add(g.requestId());
                throw new InstanceDied();
            }
        };
        try {
            ports.advance(Duration.ZERO);
        } catch (InstanceDied expected) {
            // the claim is committed, the outcome never recorded, the GRANT job gone
        }
        ports.provider.onCall = g -> { };
        assertThat(ports.timers).as("the claim scheduled the end").containsKey(r.id() + "/" + TimerKind.REVOKE);
        ports.advance(Duration.ofHours(2));
        assertThat(ports.provider.holding).as("taken away at the end the approval stated").isEmpty();
        assertThat(stored(r.id()).status()).isEqualTo(Status.ENDED);
        assertThat(stored(r.id()).grantState()).isEqualTo(GrantState.REVOKED);
    }

    /**
     * Attack: the same lost attempt on a grant until revoked: there is no end, so no REVOKE timer. The request must not
     * stay "granting" for ever with the access perhaps live: the attempt is taken as lost and tried again.
     */
    @Test
    void aLostAttemptOnAGrantUntilRevokedIsTriedAgainOnceTakenAsLost() {
        AccessRequest r = service.intake(new Commands.Intake(UserEmail.of("alice@example.com"), "ec2:RunInstances", "123456789012",
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Origin.api("test"))).request();
        service.justify(new Commands.Justify(r.id(), UserEmail.of("alice@example.com"), "incident 42", Optional.empty(), Origin.api("test")));
        service.decide(new Commands.Decide(r.id(), UserEmail.of("pat@example.com"), "approve", "ok", Optional.empty(), Origin.api("test")));
        assertThat(stored(r.id()).approvedDuration().orElseThrow().duration()).as("until revoked").isEmpty();
        ports.provider.onCall = g -> {
            if (isGrant(g)) {
                ports.provider.holding.add(g.requestId());
                throw new InstanceDied();
            }
        };
        try {
            ports.advance(Duration.ZERO);
        } catch (InstanceDied expected) {
            // lost, and never recovered by Quartz
        }
        ports.provider.onCall = g -> { };
        ports.advance(ProviderTimers.LOST_GRANT_ATTEMPT.minusMinutes(1));
        assertThat(ports.provider.calls).as("not while the attempt may still answer").isEmpty();
        ports.advance(Duration.ofHours(2));
        AccessRequest after = stored(r.id());
        assertThat(after.grantState()).as("what the provider holds, Clearance shows").isEqualTo(GrantState.ACTIVE);
        assertThat(after.grantAttemptInFlightSince()).isEmpty();
        assertThat(ports.provider.calls).containsExactly("grant " + r.id());
        // and the give-back that follows takes it away
        giveBack(r.id());
        ports.advance(Duration.ZERO);
        assertThat(ports.provider.holding).isEmpty();
    }

    /**
     * A 5-minute grant whose end passes while its call is still open (a slow provider): the REVOKE timer its claim
     * scheduled fires, but waits for the answer (the attempt is not yet taken as lost), then revokes.
     */
    @Test
    void anEndThatPassesDuringTheGrantCallWaitsForItsAnswer() {
        AccessRequest r = approved(Optional.of("5m"));
        ports.provider.onCall = g -> {
            if (isGrant(g)) {
                ports.advance(ProviderTimers.LOST_GRANT_ATTEMPT.minusMinutes(2));
                assertThat(ports.provider.calls).as("no revoke before the grant answered").isEmpty();
            }
        };
        ports.advance(Duration.ZERO);
        ports.provider.onCall = g -> { };
        ports.advance(Duration.ofMinutes(120));
        assertThat(ports.provider.calls).containsExactly("grant " + r.id(), "revoke " + r.id());
        assertThat(ports.provider.holding).isEmpty();
        assertThat(stored(r.id()).status()).isEqualTo(Status.ENDED);
    }

    /**
     * Attack: a requester and an admin click every "end" button during the grant call: give back twice, then revoke.
     * Each later click is a 409 (ConflictException), one revoke reaches the provider, after the grant.
     */
    @Test
    void repeatedEndsDuringTheGrantCallAreRefusedCleanlyAndRevokeOnce() {
        AccessRequest r = approved();
        ports.provider.onCall = g -> {
            if (isGrant(g)) {
                giveBack(r.id());
                assertThatThrownBy(() -> giveBack(r.id())).isInstanceOf(ConflictException.class)
                        .hasMessageContaining("already in progress");
                assertThatThrownBy(() -> service.revoke(r.id(), UserEmail.of("root@example.com"), "stop", Origin.api("test")))
                        .isInstanceOf(ConflictException.class).hasMessageContaining("already in progress");
                assertThatThrownBy(() -> service.extend(new Commands.Extend(r.id(), UserEmail.of("alice@example.com"), "1h",
                        "more", Origin.api("test")))).isInstanceOf(ConflictException.class);
            }
        };
        ports.advance(Duration.ZERO);
        ports.provider.onCall = g -> { };
        ports.advance(Duration.ofMinutes(5));
        assertThat(ports.provider.calls).containsExactly("grant " + r.id(), "revoke " + r.id());
        assertThat(ports.provider.holding).isEmpty();
        assertThatThrownBy(() -> giveBack(r.id())).isInstanceOf(ConflictException.class);
    }

    private static final class InstanceDied extends Error {
    }
}
