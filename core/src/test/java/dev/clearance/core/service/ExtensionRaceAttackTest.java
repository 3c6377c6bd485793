package dev.clearance.core.service;

import dev.clearance.core.model.AccessRequest;
import dev.clearance.core.model.AuditEvent;
import dev.clearance.core.model.ConflictException;
import dev.clearance.core.model.GrantState;
import dev.clearance.core.model.Origin;
import dev.clearance.core.model.RequestId;
import dev.clearance.core.model.Status;
import dev.clearance.core.model.UserEmail;
import dev.clearance.core.policy.TestConfigs;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 20, attacked through extensions: an extension approved while its grant is being revoked, or while the revoke
 * for its end is on its way, and a give-back while the provider is being told a new end. The provider is the stateful
 * fake: "holding" is what it would leave live.
 */
class ExtensionRaceAttackTest {
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

    /**
     * Attack: an extension asked while the grant is active, then the access given back; the approver approves the
     * extension while the revoke is still failing (REVOKING). Refused (409); the end is not moved; once the revoke
     * succeeds the extension is withdrawn.
     */
    @Test
    void anExtensionCannotBeApprovedWhileItsGrantIsBeingRevoked() {
        AccessRequest r = approved();
        ports.advance(Duration.ZERO);
        AccessRequest ext = service.extend(new Commands.Extend(r.id(), UserEmail.of("alice@example.com"), "1h", "late migration",
                Origin.api("test"))).request();
        Instant end = stored(r.id()).expiresAt().orElseThrow();
        ports.provider.failuresLeft = 1;
        giveBack(r.id());
        ports.advance(Duration.ZERO);
        assertThat(stored(r.id()).grantState()).isEqualTo(GrantState.REVOKING);
        assertThatThrownBy(() -> service.decide(new Commands.Decide(ext.id(), UserEmail.of("pat@example.com"), "approve", "ok",
                Optional.empty(), Origin.api("test")))).isInstanceOf(ConflictException.class);
        assertThat(stored(r.id()).expiresAt()).contains(end);
        ports.advance(Duration.ofMinutes(10));
        assertThat(ports.provider.holding).isEmpty();
        assertThat(stored(r.id()).status()).isEqualTo(Status.ENDED);
        assertThat(stored(ext.id()).status()).isEqualTo(Status.CANCELLED);
    }

    /**
     * Attack: two instances, the second's clock a little behind. The first's REVOKE timer for the end sends the revoke;
     * while that call is open the second approves an extension (it still sees the grant as live). The provider no longer
     * holds the access: Clearance must not go on showing it active until the extended end.
     */
    @Test
    void anExtensionApprovedWhileTheEndsRevokeIsInFlightDoesNotLeaveTheRequestShowingAccessThatIsGone() {
        AccessRequest r = approved();
        ports.advance(Duration.ZERO);
        AccessRequest ext = service.extend(new Commands.Extend(r.id(), UserEmail.of("alice@example.com"), "1h", "late migration",
                Origin.api("test"))).request();
        Instant end = stored(r.id()).expiresAt().orElseThrow();
        ports.provider.onCall = g -> {
            if (g.idempotencyKey().endsWith(":revoke")) {
                Instant revokingAt = ports.clock.instant();
                ports.clock.set(end.minusSeconds(2)); // the other instance's clock
                service.decide(new Commands.Decide(ext.id(), UserEmail.of("pat@example.com"), "approve", "ok",
                        Optional.empty(), Origin.api("test")));
                ports.clock.set(revokingAt);
            }
        };
        ports.advance(Duration.ofMinutes(61));
        ports.provider.onCall = g -> { };
        assertThat(ports.provider.holding).as("the revoke reached the provider").isEmpty();
        AccessRequest after = stored(r.id());
        assertThat(after.status() == Status.APPROVED && after.grantState() == GrantState.ACTIVE)
                .as("Clearance shows access the provider no longer holds: " + after.status() + "/" + after.grantState())
                .isFalse();
        assertThat(after.status()).isEqualTo(Status.ENDED);
        assertThat(after.history()).extracting(AuditEvent::reason)
                .anyMatch(s -> s.contains("was approved while the revoke was being sent"));
        assertThat(stored(ext.id()).status()).as("the extension ends with its grant").isEqualTo(Status.ENDED);
    }

    /**
     * Attack: an extension is approved and the EXTEND timer tells a slow receiver the new end; the requester gives the
     * access back while that call is open. A receiver that applies "extend" as "access until X" (an upsert) and applies
     * the revoke first would hold the access again. The revoke must wait for the extend call, as it waits for a grant.
     */
    @Test
    void aGiveBackDuringTheExtendCallIsRevokedOnlyAfterItAnswers() {
        AccessRequest r = approved();
        ports.advance(Duration.ZERO);
        AccessRequest ext = service.extend(new Commands.Extend(r.id(), UserEmail.of("alice@example.com"), "1h", "late migration",
                Origin.api("test"))).request();
        ports.provider.onCall = g -> {
            if (g.idempotencyKey().contains(":extend:")) {
                giveBack(r.id());
                ports.advance(Duration.ofMinutes(5)); // the revoke timer, while the extend call is open
                ports.provider.holding.add(g.requestId()); // the receiver applies the extend, as an upsert
            }
        };
        service.decide(new Commands.Decide(ext.id(), UserEmail.of("pat@example.com"), "approve", "ok", Optional.empty(),
                Origin.api("test")));
        ports.advance(Duration.ZERO);
        ports.provider.onCall = g -> { };
        ports.advance(Duration.ofMinutes(10));
        assertThat(ports.provider.calls).containsSubsequence("extend " + r.id() + " until "
                + stored(ext.id()).expiresAt().orElseThrow(), "revoke " + r.id());
        assertThat(ports.provider.holding).as("the revoke came after the extend").isEmpty();
        assertThat(stored(r.id()).status()).isEqualTo(Status.ENDED);
    }
}
