package dev.clearance.core.service;

import dev.clearance.core.model.AccessRequest;
import dev.clearance.core.model.InvalidInputException;
import dev.clearance.core.model.Origin;
import dev.clearance.core.model.Status;
import dev.clearance.core.model.UserEmail;
import dev.clearance.core.notify.NotificationKind;
import dev.clearance.core.notify.OutboundMessage;
import dev.clearance.core.policy.TestConfigs;
import dev.clearance.core.port.GrantObstacle;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the access provider answers reaches the request: its reference, its notes, and its refusals before approval. */
class ProviderAnswersTest {
    private final InMemoryPorts ports = new InMemoryPorts(TestConfigs.config());

    private Commands.Intake intakeOf(String requester, String resource) {
        return new Commands.Intake(UserEmail.parse("requester", requester), resource, "123456789012", Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.of("test"), Optional.empty(), Origin.api("test"));
    }

    @Test
    void theProvidersReferenceAndNotesGoOnTheRequestAndItsAuditTrail() {
        AccessRequest r = ports.service.intake(intakeOf("alice@example.com", "logs:Read")).request();
        ports.service.justify(new Commands.Justify(r.id(), UserEmail.of("alice@example.com"), "incident 42", Optional.of("1h"), Origin.api("test")));
        ports.service.decide(new Commands.Decide(r.id(), UserEmail.of("pat@example.com"), "approve", "ok", Optional.empty(), Origin.api("test")));
        ports.advance(Duration.ZERO);
        assertThat(ports.store.find(r.id()).orElseThrow().providerReference()).contains("grant: grant-" + r.id());

        ports.provider.revokeNote = "left in place: request REQ-OTHER still holds it";
        ports.advance(Duration.ofHours(1));
        AccessRequest ended = ports.store.find(r.id()).orElseThrow();
        assertThat(ended.status()).isEqualTo(Status.ENDED);
        assertThat(ended.history().get(ended.history().size() - 1).reason())
                .endsWith("(left in place: request REQ-OTHER still holds it)");
    }

    @Test
    void anAccessTheProviderCannotGrantIsRefusedBeforeAnythingIsStoredAndAdminsAreToldOnceADay() {
        AccessRequestService service = new AccessRequestService(ports.ctx, ports.provider);
        ports.provider.obstacle = Optional.of(new GrantObstacle("requester", "no user has userName = mallory@example.com"));

        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> service.intake(intakeOf("mallory@example.com", "logs:Read")))
                    .isInstanceOf(InvalidInputException.class)
                    .satisfies(e -> assertThat(((InvalidInputException) e).field()).isEqualTo("requester"))
                    .hasMessageContaining("cannot be granted: no user has userName = mallory@example.com");
        }

        assertThat(ports.store.size()).as("requests stored").isZero();
        assertThat(ports.outbox).extracting(OutboundMessage::kind)
                .containsExactly(NotificationKind.CANNOT_GRANT, NotificationKind.ADMIN_CANNOT_GRANT);
        assertThat(ports.outbox).allSatisfy(m -> assertThat(m.requestId()).isEmpty());
        assertThat(ports.outbox.get(1).recipient()).hasValueSatisfying(a -> assertThat(a.value()).isEqualTo("root@example.com"));

        ports.provider.obstacle = Optional.empty();
        assertThat(service.intake(intakeOf("mallory@example.com", "logs:Read")).created()).isTrue();
    }
}
