package dev.clearance.core.service;

import dev.clearance.core.model.AccessRequest;
import dev.clearance.core.model.Origin;
import dev.clearance.core.model.Status;
import dev.clearance.core.model.UserEmail;
import dev.clearance.core.policy.Approvers;
import dev.clearance.core.policy.ClearanceConfig;
import dev.clearance.core.policy.TestConfigs;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import static dev.clearance.core.policy.TestConfigs.e;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * "pending" is answered from a filter the store runs, not by reading every open request (issue 10: a person with no
 * role made the first version read all of them, 8 s at 20,000 open requests, past Slack's 3 s limit).
 */
class PendingListingTest {
    private final InMemoryPorts ports = new InMemoryPorts(TestConfigs.config());
    private final RequestQueries queries = new RequestQueries(ports.ctx);

    /** 240 open requests in every state a listing distinguishes, by 12 requesters, in three scopes. */
    private void openMany() {
        String[][] shapes = {
                {"s3:DeleteBucket", "123456789012"},   // prod-delete, two steps, org/prod
                {"logs:Read", "123456789012"},         // self-service, org/prod
                {"ec2:Describe", "999999999999"},      // default policy, org/prod/payments
                {"ec2:Describe", "555555555555"},      // default policy, org (unknown account)
        };
        for (int i = 0; i < 240; i++) {
            String requester = "req" + (i % 12) + "@example.com";
            String[] shape = shapes[i % shapes.length];
            AccessRequest r = ports.service.intake(new Commands.Intake(UserEmail.parse("requester", requester), shape[0] + i, shape[1], Optional.empty(),
                    Optional.of("1h"), Optional.empty(), Optional.of("test"), Optional.empty(), Origin.api("test"))).request();
            if (i % 3 != 0) {
                ports.service.justify(new Commands.Justify(r.id(), UserEmail.parse("actor", requester), "ticket " + i, Optional.empty(), Origin.api("test")));
            }
            if (i % 8 == 4 && i % 3 != 0) {
                // the security group's first approval: sec1 has voted, step 1 still waits for a second
                ports.service.decide(new Commands.Decide(r.id(), UserEmail.of("sec1@example.com"), "approve", "ok", Optional.empty(), Origin.api("test")));
            }
            ports.advance(Duration.ofSeconds(1));
        }
    }

    @Test
    void someoneWithNoRoleReadsOnlyTheirOwnRequests() {
        openMany();
        UserEmail nobody = e("nobody");
        AccessRequest own = ports.service.intake(new Commands.Intake(nobody, "s3:GetObject", "123456789012",
                Optional.empty(), Optional.of("1h"), Optional.empty(), Optional.of("test"), Optional.empty(), Origin.api("test"))).request();

        ports.store.pendingRowsRead = 0;
        List<AccessRequest> seen = queries.pendingFor(nobody, 10);

        assertThat(seen).extracting(AccessRequest::id).containsExactly(own.id());
        assertThat(ports.store.pendingRowsRead).as("rows the store handed out for someone with no role").isEqualTo(1);
        assertThat(queries.pendingFor(e("stranger"), 10)).isEmpty();
        assertThat(ports.store.pendingRowsRead).isEqualTo(1);
    }

    @Test
    void everyoneSeesWhatTheyDidBeforeTheFilterMovedIntoTheStore() {
        openMany();
        ports.advance(Duration.ofMinutes(30)); // escalations run: approvers above become eligible
        for (String who : List.of("root", "olga", "pat", "pia", "sec1", "sec2", "req3", "nobody")) {
            UserEmail viewer = e(who);
            assertThat(queries.pendingFor(viewer, 1000)).extracting(r -> r.id().value())
                    .as("pending for %s", who).containsExactlyElementsOf(everyOpenRequestFiltered(viewer));
        }
    }

    @Test
    void pagesFollowEachOtherAcrossStoreBatches() {
        openMany();
        UserEmail admin = e("root");
        List<String> all = queries.pendingFor(admin, 1000).stream().map(r -> r.id().value()).toList();
        assertThat(all).hasSize(240);
        List<String> paged = new ArrayList<>();
        for (int page = 1; ; page++) {
            RequestQueries.PendingPage p = queries.pendingPage(admin, page, 25);
            p.items().forEach(r -> paged.add(r.id().value()));
            if (!p.more()) {
                break;
            }
        }
        assertThat(paged).containsExactlyElementsOf(all);
    }

    @Test
    void aRequestPastItsDeadlineIsNoLongerOfferedToApprovers() {
        openMany();
        assertThat(queries.pendingFor(e("sec2"), 1000)).isNotEmpty();
        ports.clock.set(ports.clock.instant().plus(ports.ctx.config().intervals().pendingWindow()));
        // the expiry timers are not run here: the rows are still PENDING, only the deadline has passed
        assertThat(queries.pendingFor(e("sec2"), 1000)).isEmpty();
    }

    /** The first version's rule, applied to every open request: the oracle for the filtered listing. */
    private List<String> everyOpenRequestFiltered(UserEmail viewer) {
        ClearanceConfig config = ports.ctx.config();
        Approvers approvers = ports.ctx.approvers();
        List<AccessRequest> open = new ArrayList<>(ports.store.search(new dev.clearance.core.port.RequestQuery(
                java.util.Set.of(Status.REQUESTED, Status.PENDING), Optional.empty(), Optional.empty(), 0, 10_000)).items());
        open.sort(Comparator.comparing(AccessRequest::createdAt).thenComparing(r -> r.id().value()).reversed());
        List<String> ids = new ArrayList<>();
        for (AccessRequest r : open) {
            boolean mine = r.requester().equals(viewer);
            boolean actionable = !mine && RequestPermissions.of(r, viewer, ports.ctx.now(), config, approvers, ports.store::find)
                    .allows(RequestPermissions.Action.APPROVE);
            if (mine || actionable || approvers.isAdmin(viewer, r.scope())) {
                ids.add(r.id().value());
            }
        }
        return ids;
    }
}
