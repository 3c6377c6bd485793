package dev.clearance.app;

import dev.clearance.app.support.AppTestBase;
import dev.clearance.core.model.AccessRequest;
import dev.clearance.core.model.Status;
import dev.clearance.core.model.UserEmail;
import dev.clearance.core.port.PendingFilter;
import dev.clearance.core.port.RequestQuery;
import dev.clearance.core.port.RequestStore;
import dev.clearance.core.service.LifecycleContext;
import dev.clearance.core.service.RequestQueries;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * "pending" on the real store (H2, and PostgreSQL in the second run): the store's query decides who might see what,
 * so a person with no role gets their answer from their own rows, and everyone else sees exactly what the
 * decision rules allow.
 */
class PendingListingTest extends AppTestBase {
    private static final String[][] SHAPES = {
            {"s3:DeleteObject", "123456789012"},   // prod-destructive: security group, then the prod owners
            {"logs:Read", "210987654321"},         // read-logs at org/dev: olga
            {"ec2:StartInstances", "333333333333"}, // default policy at org/sandbox: olga, bob
            {"iam:PassRole", "444444444444"},      // default policy at the root: olga
    };
    private final List<String[]> opened = new ArrayList<>();

    @Autowired
    RequestQueries queries;
    @Autowired
    RequestStore store;
    @Autowired
    LifecycleContext ctx;

    /** Newest first, every page. */
    private List<AccessRequest> everyOpenRequest() {
        List<AccessRequest> all = new ArrayList<>();
        for (int page = 0; ; page++) {
            List<AccessRequest> items = store.search(new RequestQuery(Set.of(Status.REQUESTED, Status.PENDING),
                    Optional.empty(), Optional.empty(), page, RequestQueries.MAX_PAGE_SIZE)).items();
            all.addAll(items);
            if (items.size() < RequestQueries.MAX_PAGE_SIZE) {
                return all;
            }
        }
    }

    private void openMany(int n) {
        for (int i = 0; i < n; i++) {
            String requester = "req" + (i % 7) + "@example.com";
            String[] shape = SHAPES[i % SHAPES.length];
            String id = intake(requester, shape[0] + "-" + i + "-" + System.nanoTime(), shape[1]);
            opened.add(new String[]{id, requester});
            if (i % 3 != 0) {
                assertThat(justify(id, requester, "1h").status()).isEqualTo(200);
            }
            if (i % 8 == 4 && i % 3 != 0) {
                assertThat(decide(id, "sam@example.com", "approve").status()).isEqualTo(200);
            }
        }
        settle();
    }

    @AfterEach
    void withdrawAll() {
        opened.forEach(o -> withdraw(o[0], o[1]));
    }

    @Test
    void someoneWithNoRoleGetsOnlyTheirOwnRowsFromTheStore() {
        openMany(110);
        String own = intake("nobody@example.com", "s3:GetObject-" + System.nanoTime(), "123456789012");
        opened.add(new String[]{own, "nobody@example.com"});
        long open = store.search(new RequestQuery(Set.of(Status.REQUESTED, Status.PENDING), Optional.empty(),
                Optional.empty(), 0, 1)).total();
        assertThat(open).isGreaterThan(110);

        UserEmail nobody = UserEmail.of("nobody@example.com");
        List<AccessRequest> read = store.pendingCandidates(queries.pendingFilter(nobody), Optional.empty(), 100);
        assertThat(read).as("rows the query returned for someone with no role").extracting(r -> r.id().value())
                .containsExactly(own);
        assertThat(queries.pendingFor(nobody, 10)).extracting(r -> r.id().value()).containsExactly(own);
    }

    @Test
    void aFullBatchAmongTheNewestRowsIsTheFirstBatchAndOtherwiseTheWholeStoreIsAsked() {
        openMany(30);
        UserEmail root = UserEmail.of("root@example.com"); // admin of everything: the newest rows hold a full batch
        UserEmail bob = UserEmail.of("bob@example.com");   // approver at org/sandbox: a quarter of the requests
        for (UserEmail viewer : List.of(root, bob)) {
            List<String> all = store.pendingCandidates(queries.pendingFilter(viewer), Optional.empty(), 100_000)
                    .stream().map(r -> r.id().value()).toList();
            List<String> paged = new ArrayList<>();
            Optional<PendingFilter.After> after = Optional.empty();
            while (true) {
                List<AccessRequest> batch = store.pendingCandidates(queries.pendingFilter(viewer), after, 3);
                batch.forEach(r -> paged.add(r.id().value()));
                if (batch.size() < 3) {
                    break;
                }
                AccessRequest last = batch.get(batch.size() - 1);
                after = Optional.of(new PendingFilter.After(last.createdAt(), last.id()));
            }
            assertThat(paged).as("batches of 3 for %s", viewer).containsExactlyElementsOf(all);
            assertThat(all).as("candidates for %s", viewer).isNotEmpty();
        }
    }

    @Test
    void everyoneSeesExactlyWhatTheDecisionRulesAllow() {
        openMany(48);
        advance(Duration.ofMinutes(45)); // escalations: approvers of the scopes above become eligible
        for (String who : List.of("root", "olga", "pat", "bob", "sam", "sue", "req3", "nobody")) {
            UserEmail viewer = UserEmail.of(who + "@example.com");
            List<String> expected = new ArrayList<>();
            for (AccessRequest r : everyOpenRequest()) {
                // the rule, request by request: own, an admin of its scope, or may decide it now
                if (r.requester().equals(viewer) || ctx.approvers().isAdmin(viewer, r.scope())
                        || queries.whyCannotDecide(viewer, r).isEmpty()) {
                    expected.add(r.id().value());
                }
            }
            assertThat(queries.pendingFor(viewer, 100_000)).extracting(r -> r.id().value())
                    .as("pending for %s", who).containsExactlyElementsOf(expected);
            // short pages: the store's first try reads only the newest rows, and must give the same answer
            for (int limit : List.of(1, 2, 5)) {
                assertThat(queries.pendingFor(viewer, limit)).extracting(r -> r.id().value())
                        .as("first %d pending for %s", limit, who)
                        .containsExactlyElementsOf(expected.subList(0, Math.min(limit, expected.size())));
            }
        }
    }
}
