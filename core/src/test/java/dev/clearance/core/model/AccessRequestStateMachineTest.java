package dev.clearance.core.model;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The named transitions keep the request's fields consistent, and nothing changes a built request from outside. */
class AccessRequestStateMachineTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void aBuiltRequestCannotBeChangedThroughItsBuilder() {
        RequestState b = builder(Status.PENDING);
        AccessRequest r = b.restore();
        assertThatThrownBy(() -> b.status(Status.APPROVED)).isInstanceOf(IllegalStateException.class);
        assertThat(r.status()).isEqualTo(Status.PENDING);
    }

    @Test
    void approvalStartsTheGrantAndAConfirmedAttemptMakesItActive() {
        AccessRequest r = builder(Status.PENDING).restore();
        r.approve("sam@example.com", AccessDuration.parse("1h"), T0, "ok");
        assertThat(r.status()).isEqualTo(Status.APPROVED);
        assertThat(r.grantState()).isEqualTo(GrantState.GRANTING);
        assertThat(r.decidedBy()).contains("sam@example.com");
        assertThat(r.grant().neverAttempted()).isTrue();

        r.grant().attemptStarted(T0);
        assertThat(r.providerAttempts()).isEqualTo(1);
        assertThat(r.grantAttemptInFlightSince()).contains(T0);
        r.grant().confirmed(T0, Optional.of(T0.plusSeconds(3600)), Optional.of("ref-1"), T0, "granted");
        assertThat(r.grantState()).isEqualTo(GrantState.ACTIVE);
        assertThat(r.providerAttempts()).isZero();
        assertThat(r.grantAttemptInFlightSince()).isEmpty();
        assertThat(r.expiresAt()).contains(T0.plusSeconds(3600));
        assertThat(r.providerReference()).contains("grant: ref-1");

        r.grant().revoked(Optional.empty(), T0.plusSeconds(3600), "timebox over");
        assertThat(r.status()).isEqualTo(Status.ENDED);
        assertThat(r.grantState()).isEqualTo(GrantState.REVOKED);
    }

    @Test
    void grantChangesAreRefusedInTheWrongState() {
        AccessRequest pending = builder(Status.PENDING).restore();
        assertThatThrownBy(() -> pending.grant().attemptStarted(T0)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> pending.grant().revoked(Optional.empty(), T0, "x"))
                .isInstanceOf(IllegalTransitionException.class);
        AccessRequest active = builder(Status.APPROVED).grantState(GrantState.ACTIVE).restore();
        assertThatThrownBy(() -> active.grant().confirmed(T0, Optional.empty(), Optional.empty(), T0, "x"))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> active.grant().endedBeforeGranted("a@example.com", T0, "x"))
                .isInstanceOf(IllegalStateException.class);
        assertThat(active.status()).isEqualTo(Status.APPROVED);
        assertThat(active.grantState()).isEqualTo(GrantState.ACTIVE);
    }

    @Test
    void anEndAskedWhileAGrantIsInFlightSaysItWaits() {
        AccessRequest r = builder(Status.APPROVED).grantState(GrantState.GRANTING).providerAttempts(1)
                .grantAttemptSince(T0).restore();
        r.grant().revokeStarted("admin@example.com", T0, "revoked");
        assertThat(r.grantState()).isEqualTo(GrantState.REVOKING);
        assertThat(r.revocationReason()).contains("revoked");
        assertThat(r.history().get(r.history().size() - 1).reason())
                .isEqualTo("revoked; ending once the grant attempt in flight has answered");
    }

    private static RequestState builder(Status status) {
        return AccessRequest.builder().id(RequestId.random()).requester(UserEmail.of("alice@example.com"))
                .resource("s3:DeleteBucket").account("123456789012").scope(ScopePath.of("org")).policyName("default")
                .createdAt(T0).status(status).requestedDuration(AccessDuration.parse("1h"));
    }
}
