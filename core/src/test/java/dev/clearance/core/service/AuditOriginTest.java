package dev.clearance.core.service;

import dev.clearance.core.model.AccessRequest;
import dev.clearance.core.model.AuditEvent;
import dev.clearance.core.model.Origin;
import dev.clearance.core.model.UserEmail;
import dev.clearance.core.policy.TestConfigs;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Every audit event says how the change arrived: the channel and the principal it authenticated, beside the person. */
class AuditOriginTest {
    private final InMemoryPorts ports = new InMemoryPorts(TestConfigs.config());
    private final AccessRequestService service = ports.service;

    @Test
    void eachEventCarriesTheOriginOfTheCommandOrTimerThatCausedIt() {
        Origin detector = Origin.api("detector");
        Origin alicesSlack = Origin.slack("U0ALICE", "T0ORG");
        Origin patsTeams = Origin.teams("8f1c0000-0000-0000-0000-00000000a11c");
        Origin rootsWeb = Origin.web("root-subject");
        AccessRequest r = service.intake(new Commands.Intake(UserEmail.of("alice@example.com"), "logs:Read", "123456789012",
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.of("detector"), Optional.empty(), detector))
                .request();
        service.justify(new Commands.Justify(r.id(), UserEmail.of("alice@example.com"), "incident 42", Optional.of("1h"),
                alicesSlack));
        service.decide(new Commands.Decide(r.id(), UserEmail.of("pat@example.com"), "approve", "ok", Optional.empty(), patsTeams));
        ports.advance(Duration.ZERO); // the grant timer
        service.revoke(r.id(), UserEmail.of("root@example.com"), "done", rootsWeb);
        ports.advance(Duration.ZERO); // the revoke timer

        List<AuditEvent> trail = ports.store.find(r.id()).orElseThrow().history();
        assertThat(trail).allSatisfy(e -> assertThat(e.via()).as(e.toString()).isPresent());
        assertThat(trail.get(0).via()).contains(detector);
        assertThat(trail).filteredOn(e -> e.reason().startsWith("justified")).singleElement()
                .satisfies(e -> assertThat(e.via()).contains(alicesSlack));
        assertThat(trail).filteredOn(e -> e.actor().equals("pat@example.com"))
                .isNotEmpty().allSatisfy(e -> assertThat(e.via()).contains(patsTeams));
        assertThat(trail).filteredOn(e -> e.reason().startsWith("revoked by"))
                .singleElement().satisfies(e -> assertThat(e.via()).contains(rootsWeb));
        assertThat(trail).filteredOn(e -> e.reason().startsWith("access granted") || e.reason().startsWith("access revoked"))
                .hasSize(2).allSatisfy(e -> assertThat(e.via().orElseThrow().channel()).isEqualTo(Origin.TIMER));
        assertThat(Origin.api("detector").display()).isEqualTo("api:detector");
    }
}
