package dev.clearance.core.service;

import dev.clearance.core.model.AccessRequest;
import dev.clearance.core.model.AuditEvent;
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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Expiry notices and extension requests: more time on a live grant, decided under its policy, without a gap. */
class ExtensionsTest {
    private final InMemoryPorts ports = new InMemoryPorts(TestConfigs.config());
    private final AccessRequestService service = ports.service;
    private AccessRequest grant;
    private Instant end;

    /** ec2:StopInstances in 123456789012 falls under the default policy: one of pat, pia. Granted for 1 h. */
    @BeforeEach
    void activeGrant() {
        AccessRequest r = service.intake(new Commands.Intake(UserEmail.of("alice@example.com"), "ec2:StopInstances", "123456789012",
                Optional.empty(), Optional.of("1h"), Optional.of("INC-1"), Optional.of("test"), Optional.empty(), Origin.api("test"))).request();
        decide(r, "pat", "approve");
        ports.advance(Duration.ZERO);
        grant = ports.store.find(r.id()).orElseThrow();
        assertThat(grant.grantState()).isEqualTo(GrantState.ACTIVE);
        end = grant.expiresAt().orElseThrow();
    }

    private AccessRequest decide(AccessRequest r, String who, String decision) {
        return service.decide(new Commands.Decide(r.id(), UserEmail.of(who + "@example.com"), decision, "ok", Optional.empty(), Origin.api("test")));
    }

    private AccessRequestService.IntakeResult extend(String who, String duration) {
        return service.extend(new Commands.Extend(grant.id(), UserEmail.of(who + "@example.com"), duration, "the migration runs late", Origin.api("test")));
    }

    private AccessRequest stored(AccessRequest r) {
        return ports.store.find(r.id()).orElseThrow();
    }

    @Test
    void theRequesterIsToldTenMinutesBeforeTheEndOnce() {
        ports.advance(Duration.ofMinutes(49));
        assertThat(ports.messagesTo("alice@example.com")).extracting(OutboundMessage::kind)
                .doesNotContain(NotificationKind.EXPIRY_NOTICE);
        ports.advance(Duration.ofMinutes(1));
        assertThat(ports.messagesTo("alice@example.com")).filteredOn(m -> m.kind() == NotificationKind.EXPIRY_NOTICE)
                .hasSize(1).allSatisfy(m -> assertThat(m.requestId()).contains(grant.id()));
        ports.advance(Duration.ofMinutes(10));
        assertThat(stored(grant).status()).isEqualTo(Status.ENDED);
    }

    @Test
    void anApprovedExtensionMovesTheEndWithoutARevokeAndTellsTheProvider() {
        ports.advance(Duration.ofMinutes(50));
        AccessRequestService.IntakeResult asked = extend("alice", "1h");
        assertThat(asked.created()).isTrue();
        AccessRequest ext = asked.request();
        assertThat(ext.status()).isEqualTo(Status.PENDING);
        assertThat(ext.extensionOf()).contains(grant.id());
        assertThat(ext.pendingDeadline()).as("an extension decided after the end would extend nothing").contains(end);
        assertThat(ports.messagesTo("pat@example.com")).filteredOn(m -> m.requestId().equals(Optional.of(ext.id())))
                .extracting(OutboundMessage::kind).containsExactly(NotificationKind.APPROVAL_REQUEST);

        decide(ext, "pat", "approve");
        ports.advance(Duration.ZERO);
        Instant newEnd = end.plus(Duration.ofHours(1));
        assertThat(stored(grant).expiresAt()).contains(newEnd);
        assertThat(stored(ext).status()).isEqualTo(Status.APPROVED);
        assertThat(stored(ext).expiresAt()).contains(newEnd);
        assertThat(ports.timers).containsEntry(grant.id() + "/REVOKE", newEnd);
        assertThat(ports.provider.calls).containsExactly("grant " + grant.id(), "extend " + grant.id() + " until " + newEnd);
        assertThat(stored(grant).history()).extracting(AuditEvent::reason)
                .anyMatch(r -> r.startsWith("extension " + ext.id() + " requested"))
                .anyMatch(r -> r.startsWith("extended by 1h until " + newEnd));

        ports.advance(Duration.ofMinutes(20));
        assertThat(stored(grant).status()).as("the old end passed without a revoke").isEqualTo(Status.APPROVED);
        assertThat(ports.provider.calls).noneMatch(c -> c.startsWith("revoke"));
        ports.advance(Duration.ofMinutes(50));
        assertThat(ports.messagesTo("alice@example.com")).filteredOn(m -> m.kind() == NotificationKind.EXPIRY_NOTICE)
                .as("a new notice before the new end").hasSize(2);
        assertThat(stored(grant).status()).isEqualTo(Status.ENDED);
        assertThat(ports.provider.calls).containsExactly("grant " + grant.id(), "extend " + grant.id() + " until " + newEnd,
                "revoke " + grant.id());
        assertThat(stored(ext).status()).as("an approved extension ends with its grant").isEqualTo(Status.ENDED);
    }

    @Test
    void aDeniedExtensionLeavesTheEndAlone() {
        AccessRequest ext = extend("alice", "4h").request();
        decide(ext, "pia", "deny");
        assertThat(stored(grant).expiresAt()).contains(end);
        assertThat(stored(grant).history()).extracting(AuditEvent::reason).anyMatch(r -> r.startsWith("extension " + ext.id() + " denied"));
        ports.advance(Duration.ofHours(1));
        assertThat(stored(grant).status()).isEqualTo(Status.ENDED);
    }

    @Test
    void anUnansweredExtensionExpiresWithTheGrant() {
        AccessRequest ext = extend("alice", "1h").request();
        ports.advance(Duration.ofHours(1));
        assertThat(stored(grant).status()).isEqualTo(Status.ENDED);
        assertThat(stored(ext).status()).isIn(Status.EXPIRED, Status.CANCELLED);
        assertThat(ports.provider.calls).containsExactly("grant " + grant.id(), "revoke " + grant.id());
    }

    @Test
    void onlyTheRequesterExtendsAndOnlyALiveGrantWithAnEnd() {
        assertThatThrownBy(() -> extend("pat", "1h")).isInstanceOf(ForbiddenException.class).hasMessageContaining("only the requester");
        assertThatThrownBy(() -> extend("alice", "forever")).isInstanceOf(InvalidInputException.class)
                .satisfies(e -> assertThat(((InvalidInputException) e).field()).isEqualTo("duration"));
        assertThatThrownBy(() -> extend("alice", "")).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> service.extend(new Commands.Extend(grant.id(), UserEmail.of("alice@example.com"), "1h", " ", Origin.api("test"))))
                .isInstanceOf(InvalidInputException.class);
        ports.advance(Duration.ofHours(1));
        assertThatThrownBy(() -> extend("alice", "1h")).isInstanceOf(ConflictException.class).hasMessageContaining("not active");
        assertThat(ports.store.findExtensionsOf(grant.id())).isEmpty();
    }

    @Test
    void oneGrantHasAtMostOnePendingExtension() {
        AccessRequest first = extend("alice", "1h").request();
        AccessRequestService.IntakeResult again = extend("alice", "4h");
        assertThat(again.created()).isFalse();
        assertThat(again.request().id()).isEqualTo(first.id());
        assertThatThrownBy(() -> service.extend(new Commands.Extend(first.id(), UserEmail.of("alice@example.com"), "1h", "more", Origin.api("test"))))
                .isInstanceOf(ConflictException.class).hasMessageContaining("itself an extension");
    }

    @Test
    void approvingAnExtensionOfAGrantThatWasRevokedMeanwhileIsRefused() {
        AccessRequest ext = extend("alice", "1h").request();
        service.revoke(grant.id(), UserEmail.of("root@example.com"), "incident over", Origin.api("test"));
        assertThatThrownBy(() -> decide(ext, "pat", "approve")).isInstanceOf(ConflictException.class)
                .hasMessageContaining("not active");
        ports.advance(Duration.ZERO);
        assertThat(stored(grant).status()).isEqualTo(Status.ENDED);
        assertThat(stored(ext).status()).as("withdrawn when the access it would extend ended").isEqualTo(Status.CANCELLED);
        assertThat(ports.timers).doesNotContainKey(ext.id() + "/PENDING_EXPIRY");
    }

    @Test
    void anExtensionCannotBeRevokedOrCancelledInPlaceOfItsGrant() {
        AccessRequest ext = extend("alice", "1h").request();
        decide(ext, "pat", "approve");
        assertThatThrownBy(() -> service.revoke(ext.id(), UserEmail.of("root@example.com"), "x", Origin.api("test")))
                .isInstanceOf(ConflictException.class).hasMessageContaining("revoke " + grant.id());
        assertThatThrownBy(() -> service.cancel(ext.id(), UserEmail.of("alice@example.com"), Origin.api("test")))
                .isInstanceOf(ConflictException.class).hasMessageContaining("cancel " + grant.id());
        assertThat(ports.provider.calls).noneMatch(c -> c.contains(ext.id().value()));
    }

    @Test
    void aFailingProviderIsRetriedForTheNewEndAndTheRevokeStillHappensOnTime() {
        AccessRequest ext = extend("alice", "1h").request();
        ports.provider.failuresLeft = 100;
        decide(ext, "pat", "approve");
        ports.advance(Duration.ofMinutes(30));
        assertThat(ports.provider.calls).filteredOn(c -> c.startsWith("extend")).hasSize(5);
        assertThat(stored(grant).history()).extracting(AuditEvent::reason).anyMatch(r -> r.contains("was not told the new end"));
        ports.provider.failuresLeft = 0;
        ports.advance(Duration.ofHours(2));
        assertThat(stored(grant).status()).isEqualTo(Status.ENDED);
    }
}
