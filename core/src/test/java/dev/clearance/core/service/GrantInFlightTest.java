package dev.clearance.core.service;

import dev.clearance.core.model.AccessRequest;
import dev.clearance.core.model.AuditEvent;
import dev.clearance.core.model.GrantState;
import dev.clearance.core.model.Origin;
import dev.clearance.core.model.RequestId;
import dev.clearance.core.model.Status;
import dev.clearance.core.model.UserEmail;
import dev.clearance.core.port.TimerKind;
import dev.clearance.core.policy.TestConfigs;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A revocation never overtakes its grant: a cancel or revoke that arrives while the provider is still being asked to
 * grant is recorded at once, and the provider hears of the revoke only after the grant's outcome is recorded, whatever
 * that outcome. The provider is a stateful fake: "holding" is what it would leave live.
 */
class GrantInFlightTest {
    private final InMemoryPorts ports = new InMemoryPorts(TestConfigs.config());
    private final AccessRequestService service = ports.service;

    private AccessRequest approved() {
        AccessRequest r = service.intake(new Commands.Intake(UserEmail.of("alice@example.com"), "ec2:RunInstances", "123456789012",
                Optional.empty(), Optional.of("1h"), Optional.empty(), Optional.empty(), Optional.empty(), Origin.api("test"))).request();
        service.justify(new Commands.Justify(r.id(), UserEmail.of("alice@example.com"), "incident 42", Optional.empty(), Origin.api("test")));
        service.decide(new Commands.Decide(r.id(), UserEmail.of("pat@example.com"), "approve", "ok", Optional.empty(), Origin.api("test")));
        return r;
    }

    private AccessRequest stored(RequestId id) {
        return ports.store.find(id).orElseThrow();
    }

    private void giveBack(RequestId id) {
        service.cancel(id, UserEmail.of("alice@example.com"), Origin.api("test"));
    }

    @Test
    void aGiveBackDuringTheGrantCallIsRecordedAtOnceAndRevokedOnlyAfterTheGrantAnswers() {
        AccessRequest r = approved();
        ports.provider.onCall = g -> {
            if (g.idempotencyKey().endsWith(":grant")) {
                giveBack(r.id());
                AccessRequest ending = stored(r.id());
                assertThat(ending.status()).isEqualTo(Status.APPROVED);
                assertThat(ending.grantState()).as("the person sees the end accepted").isEqualTo(GrantState.REVOKING);
                assertThat(ending.history()).extracting(AuditEvent::reason)
                        .anyMatch(s -> s.contains("ending once the grant attempt in flight has answered"));
                // NB: the revoke timer fires while the grant is still in flight: it must not reach the provider
                ports.advance(Duration.ofMinutes(5));
                assertThat(ports.provider.calls).as("the provider has heard nothing else meanwhile").isEmpty();
            }
        };
        ports.advance(Duration.ZERO);
        ports.provider.onCall = g -> { };
        // (the nested advance above moved the clock 5 minutes on; the outer one set it back)
        assertThat(ports.timers.get(r.id() + "/" + TimerKind.REVOKE)).as("revoke scheduled at once once the grant answered")
                .isBeforeOrEqualTo(ports.clock.instant().plus(Duration.ofMinutes(5)));
        ports.advance(Duration.ofMinutes(5));
        AccessRequest ended = stored(r.id());
        assertThat(ports.provider.calls).containsExactly("grant " + r.id(), "revoke " + r.id());
        assertThat(ports.provider.holding).as("nothing left at the provider").isEmpty();
        assertThat(ended.status()).isEqualTo(Status.ENDED);
        assertThat(ended.grantState()).isEqualTo(GrantState.REVOKED);
        assertThat(ended.grantAttemptInFlightSince()).isEmpty();
        assertThat(ended.history()).extracting(AuditEvent::reason)
                .anyMatch(s -> s.contains("the grant attempt in flight succeeded after the end was asked; revoking now"));
    }

    @Test
    void aGrantThatFailsAfterTheEndWasAskedIsStillRevokedBecauseItMayHaveActed() {
        AccessRequest r = approved();
        ports.provider.grantsEvenWhenFailing = true;
        ports.provider.failuresLeft = 1;
        ports.provider.onCall = g -> {
            if (g.idempotencyKey().endsWith(":grant")) {
                giveBack(r.id());
            }
        };
        ports.advance(Duration.ZERO);
        ports.provider.onCall = g -> { };
        ports.advance(Duration.ZERO);
        assertThat(ports.provider.calls).containsExactly("grant " + r.id(), "revoke " + r.id());
        assertThat(ports.provider.holding).isEmpty();
        assertThat(stored(r.id()).status()).isEqualTo(Status.ENDED);
        assertThat(ports.timers).as("no further grant attempt").doesNotContainKey(r.id() + "/GRANT");
    }

    @Test
    void anAdminRevokeDuringTheGrantCallWaitsForItToo() {
        AccessRequest r = approved();
        ports.provider.onCall = g -> {
            if (g.idempotencyKey().endsWith(":grant")) {
                service.revoke(r.id(), UserEmail.of("root@example.com"), "not needed", Origin.api("test"));
                ports.advance(Duration.ofMinutes(2));
                assertThat(ports.provider.calls).as("the provider has heard nothing else meanwhile").isEmpty();
            }
        };
        ports.advance(Duration.ZERO);
        ports.provider.onCall = g -> { };
        ports.advance(Duration.ofMinutes(2));
        assertThat(ports.provider.calls).containsExactly("grant " + r.id(), "revoke " + r.id());
        assertThat(ports.provider.holding).isEmpty();
        assertThat(stored(r.id()).revocationReason()).hasValueSatisfying(s -> assertThat(s).contains("not needed"));
    }

    /** The instance died during the grant call; Quartz recovers the GRANT job, which finds the end asked for. */
    @Test
    void aGrantAttemptLostWithItsInstanceIsRevokedWhenTheGrantTimerRunsAgain() {
        AccessRequest r = approved();
        ports.provider.grantsEvenWhenFailing = true;
        ports.provider.onCall = g -> {
            if (g.idempotencyKey().endsWith(":grant")) {
                ports.provider.holding.add(g.requestId()); // the provider acted
                throw new InstanceDied();
            }
        };
        try {
            ports.advance(Duration.ZERO);
        } catch (InstanceDied expected) {
            // the attempt's claim was committed, its outcome never recorded
        }
        ports.provider.onCall = g -> { };
        assertThat(stored(r.id()).grantAttemptInFlightSince()).isPresent();
        giveBack(r.id());
        ports.advance(Duration.ofSeconds(10));
        assertThat(ports.provider.holding).as("the revoke waits for the lost attempt's answer").isNotEmpty();
        ports.timers.put(r.id() + "/" + TimerKind.GRANT, ports.clock.instant()); // recovered on restart
        ports.advance(Duration.ZERO);
        assertThat(ports.provider.holding).isEmpty();
        assertThat(stored(r.id()).status()).isEqualTo(Status.ENDED);
        assertThat(stored(r.id()).history()).extracting(AuditEvent::reason)
                .anyMatch(s -> s.contains("the grant attempt in flight never answered; revoking in case it reached"));
    }

    /** Should the GRANT job never run again, the waiting revocation goes ahead once the attempt is surely over. */
    @Test
    void aRevocationWaitsForALostAttemptOnlyUntilItIsTakenAsLost() {
        AccessRequest r = approved();
        ports.provider.onCall = g -> {
            if (g.idempotencyKey().endsWith(":grant")) {
                ports.provider.holding.add(g.requestId());
                throw new InstanceDied();
            }
        };
        try {
            ports.advance(Duration.ZERO);
        } catch (InstanceDied expected) {
            // lost
        }
        ports.provider.onCall = g -> { };
        giveBack(r.id());
        ports.advance(ProviderTimers.LOST_GRANT_ATTEMPT.minusMinutes(2));
        assertThat(ports.provider.calls).as("no revoke while the attempt may still answer").isEmpty();
        assertThat(ports.provider.holding).isNotEmpty();
        ports.advance(Duration.ofMinutes(3));
        assertThat(ports.provider.calls).containsExactly("revoke " + r.id());
        assertThat(ports.provider.holding).isEmpty();
        assertThat(stored(r.id()).status()).isEqualTo(Status.ENDED);
    }

    @Test
    void aGiveBackBeforeAnyAttemptEndsWithoutAskingTheProvider() {
        AccessRequest r = approved();
        giveBack(r.id());
        ports.advance(Duration.ofMinutes(30));
        assertThat(ports.provider.calls).isEmpty();
        assertThat(stored(r.id()).status()).isEqualTo(Status.ENDED);
    }

    /**
     * A failed attempt (a timeout after the provider acted) leaves the request GRANTING with a retry due: a give-back
     * now is not "before any attempt", so it must reach the provider rather than end the request silently.
     */
    @Test
    void aGiveBackAfterAFailedAttemptStillRevokesAtTheProvider() {
        AccessRequest r = approved();
        ports.provider.grantsEvenWhenFailing = true;
        ports.provider.failuresLeft = 1;
        ports.advance(Duration.ZERO);
        AccessRequest retrying = stored(r.id());
        assertThat(retrying.grantState()).isEqualTo(GrantState.GRANTING);
        assertThat(retrying.grantAttemptInFlightSince()).as("the failed attempt has answered").isEmpty();
        assertThat(ports.provider.holding).as("the failed call acted").isNotEmpty();
        giveBack(r.id());
        ports.advance(Duration.ZERO);
        ports.advance(Duration.ofHours(2));
        assertThat(ports.provider.calls).as("revoked, and never granted again").containsExactly("grant " + r.id(),
                "revoke " + r.id());
        assertThat(ports.provider.holding).isEmpty();
        assertThat(stored(r.id()).status()).isEqualTo(Status.ENDED);
        assertThat(stored(r.id()).grantState()).isEqualTo(GrantState.REVOKED);
    }

    @Test
    void aGiveBackAfterTheGrantRevokesAtOnce() {
        AccessRequest r = approved();
        ports.advance(Duration.ZERO);
        assertThat(stored(r.id()).grantAttemptInFlightSince()).isEmpty();
        giveBack(r.id());
        ports.advance(Duration.ZERO);
        assertThat(ports.provider.calls).containsExactly("grant " + r.id(), "revoke " + r.id());
        assertThat(ports.provider.holding).isEmpty();
    }

    private static final class InstanceDied extends Error {
    }

    /**
     * The grant call times out after the give-back, while the provider is still granting; the provider applies the
     * grant after Clearance's revoke. A later look (blind, as this provider cannot list) takes it away.
     */
    @Test
    void aGrantThatTimesOutAfterTheGiveBackAndLandsAfterTheRevokeIsRemovedByTheLaterLook() {
        AccessRequest r = approved();
        ports.provider.failuresLeft = 1;
        ports.provider.onCall = g -> {
            if (g.idempotencyKey().endsWith(":grant")) {
                giveBack(r.id());
            }
        };
        ports.advance(Duration.ZERO);
        ports.provider.onCall = g -> { };
        ports.advance(Duration.ofMinutes(1));
        assertThat(stored(r.id()).status()).isEqualTo(Status.ENDED);
        ports.provider.holding.add(r.id()); // the timed-out grant lands at the provider after the revoke
        ports.advance(Reconciliation.CONFIRM_AFTER.plusMinutes(1));
        assertThat(ports.provider.holding).as("the later look removed it").isEmpty();
        assertThat(ports.provider.calls.stream().filter(c -> c.startsWith("revoke"))).hasSize(2);
    }
}
