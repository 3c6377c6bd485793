package dev.clearance.adapters.access.aws;

import dev.clearance.core.model.RequestId;
import dev.clearance.core.port.AccessProvider.AccessProviderException;
import dev.clearance.core.port.HeldAccess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.clearance.adapters.access.aws.IdentityCenterAccessProviderTest.ACCOUNT;
import static dev.clearance.adapters.access.aws.IdentityCenterAccessProviderTest.AWS;
import static dev.clearance.adapters.access.aws.IdentityCenterAccessProviderTest.PS;
import static dev.clearance.adapters.access.aws.IdentityCenterAccessProviderTest.USER;
import static dev.clearance.adapters.access.aws.IdentityCenterAccessProviderTest.calls;
import static dev.clearance.adapters.access.aws.IdentityCenterAccessProviderTest.creationAnswers;
import static dev.clearance.adapters.access.aws.IdentityCenterAccessProviderTest.deletionAnswers;
import static dev.clearance.adapters.access.aws.IdentityCenterAccessProviderTest.grant;
import static dev.clearance.adapters.access.aws.IdentityCenterAccessProviderTest.inTurn;
import static dev.clearance.adapters.access.aws.IdentityCenterAccessProviderTest.sso;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 20, attacked at the Identity Center provider: what {@code held()} lists for reconciliation, and what a removal
 * may delete. Standing access is never listed; overlapping holders are listed alike (so reconciliation releases one
 * hold without deleting what an active request still holds); a creation still in progress is listed, and never
 * deleted ahead of its answer.
 */
class IdentityCenterReconcileAttackTest {
    private static final Map<String, String> SAVED = new java.util.HashMap<>();
    private static final String ALICE_ASSIGNED = "{\"AccountAssignments\":[{\"AccountId\":\"" + ACCOUNT
            + "\",\"PermissionSetArn\":\"" + PS + "\",\"PrincipalType\":\"USER\",\"PrincipalId\":\"" + USER + "\"}]}";
    private final InMemoryAssignmentLedger ledger = new InMemoryAssignmentLedger();
    private final Clock clock = Clock.fixed(Instant.parse("2026-11-23T09:00:00Z"), ZoneOffset.UTC);

    @BeforeAll
    static void pointTheSdkAtTheFake() {
        if (!AWS.isRunning()) {
            AWS.start();
        }
        for (var e : Map.of("aws.endpointUrl", AWS.baseUrl(), "aws.region", "eu-west-1", "aws.accessKeyId", "AKIDEXAMPLE",
                "aws.secretAccessKey", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY").entrySet()) {
            SAVED.put(e.getKey(), System.getProperty(e.getKey()));
            System.setProperty(e.getKey(), e.getValue());
        }
    }

    @AfterAll
    static void restore() {
        SAVED.forEach((k, v) -> {
            if (v == null) {
                System.clearProperty(k);
            } else {
                System.setProperty(k, v);
            }
        });
        AWS.stop();
    }

    @BeforeEach
    void oneInstanceAndAlice() {
        new IdentityCenterAccessProviderTest().oneInstanceAndAlice();
    }

    private IdentityCenterAccessProvider provider(int polls) {
        return IdentityCenterAccessProvider.fromEnvironment(ledger, new IdentityCenterSettings(Optional.empty(),
                Optional.empty(), "userName", Duration.ofSeconds(2), polls), clock, d -> { });
    }

    private static List<RequestId> holders(Optional<List<HeldAccess>> held) {
        return held.orElseThrow().stream().map(HeldAccess::requestId).toList();
    }

    @Test
    void standingAccessIsNeverListedSoNeverReconciledAway() throws Exception {
        sso("ListAccountAssignments", 200, ALICE_ASSIGNED);
        IdentityCenterAccessProvider provider = provider(5);
        provider.grant(grant("REQ-0000000101", "alice@example.com"));
        assertThat(provider.held().orElseThrow()).isEmpty();
    }

    /**
     * Attack: a request that ended (its grant declared failed, say) still holds an assignment an active request holds
     * too. Both are listed with the same description, so reconciliation sees the overlap; removing the ended one's hold
     * leaves the assignment for the active one.
     */
    @Test
    void overlappingHoldersAreListedAlikeAndReleasingOneDeletesNothing() throws Exception {
        inTurn("ListAccountAssignments", "{\"AccountAssignments\":[]}", ALICE_ASSIGNED);
        creationAnswers("SUCCEEDED");
        deletionAnswers("SUCCEEDED");
        IdentityCenterAccessProvider provider = provider(5);
        provider.grant(grant("REQ-0000000102", "alice@example.com"));
        provider.grant(grant("REQ-0000000103", "alice@example.com"));

        List<HeldAccess> held = provider.held().orElseThrow();
        assertThat(held).extracting(HeldAccess::requestId)
                .containsExactlyInAnyOrder(new RequestId("REQ-0000000102"), new RequestId("REQ-0000000103"));
        assertThat(held.get(0).description()).isEqualTo(held.get(1).description());

        provider.revoke(grant("REQ-0000000102", "alice@example.com"));
        assertThat(calls("DeleteAccountAssignment")).as("the active request still holds it").isEmpty();
        assertThat(holders(provider.held())).containsExactly(new RequestId("REQ-0000000103"));
    }

    /**
     * Attack: a creation still IN_PROGRESS after every poll (the grant failed); reconciliation lists it at once and
     * removes it, but the removal must not delete ahead of the creation: it waits (fails, tried again) until AWS has
     * answered, then deletes exactly once.
     */
    @Test
    void aCreationStillInProgressIsListedAndDeletedOnlyOnceItHasCompleted() throws Exception {
        creationAnswers("IN_PROGRESS", "IN_PROGRESS", "IN_PROGRESS", "SUCCEEDED");
        deletionAnswers("SUCCEEDED");
        IdentityCenterAccessProvider provider = provider(1);
        assertThatThrownBy(() -> provider.grant(grant("REQ-0000000104", "alice@example.com")))
                .isInstanceOf(AccessProviderException.class).hasMessageContaining("still in progress");

        assertThat(holders(provider.held())).containsExactly(new RequestId("REQ-0000000104"));
        assertThatThrownBy(() -> provider.revoke(grant("REQ-0000000104", "alice@example.com")))
                .isInstanceOf(AccessProviderException.class);
        assertThat(calls("DeleteAccountAssignment")).as("never ahead of the creation").isEmpty();

        sso("ListAccountAssignments", 200, ALICE_ASSIGNED);
        provider.revoke(grant("REQ-0000000104", "alice@example.com"));
        assertThat(calls("DeleteAccountAssignment")).hasSize(1);
        assertThat(provider.held().orElseThrow()).isEmpty();
    }

    @Test
    void aFailedCreationIsNotListed() throws Exception {
        creationAnswers("FAILED:no such account");
        IdentityCenterAccessProvider provider = provider(5);
        assertThatThrownBy(() -> provider.grant(grant("REQ-0000000105", "alice@example.com")))
                .isInstanceOf(AccessProviderException.class);
        assertThat(provider.held().orElseThrow()).isEmpty();
    }
}
