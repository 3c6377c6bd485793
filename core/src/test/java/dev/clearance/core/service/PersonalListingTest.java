package dev.clearance.core.service;

import dev.clearance.core.model.AccessRequest;
import dev.clearance.core.model.InvalidInputException;
import dev.clearance.core.model.Origin;
import dev.clearance.core.model.Status;
import dev.clearance.core.model.UserEmail;
import dev.clearance.core.policy.TestConfigs;
import dev.clearance.core.port.Page;
import dev.clearance.core.port.RequestQuery;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static dev.clearance.core.policy.TestConfigs.e;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The web page's list: each person sees exactly the requests {@code getFor} would show them, page after page. */
class PersonalListingTest {
    private final InMemoryPorts ports = new InMemoryPorts(TestConfigs.config());
    private final RequestQueries queries = new RequestQueries(ports.ctx);

    /** 150 requests by 10 requesters in three scopes, open and decided. */
    private void requestMany() {
        String[][] shapes = {{"s3:DeleteBucket", "123456789012"}, {"ec2:Describe", "999999999999"}, {"ec2:Describe", "555555555555"}};
        for (int i = 0; i < 150; i++) {
            String requester = "req" + (i % 10) + "@example.com";
            String[] shape = shapes[i % shapes.length];
            AccessRequest r = ports.service.intake(new Commands.Intake(UserEmail.parse("requester", requester), shape[0] + i, shape[1], Optional.empty(),
                    Optional.of("1h"), Optional.empty(), Optional.of("test"), Optional.empty(), Origin.api("test"))).request();
            if (i % 3 != 0) {
                ports.service.justify(new Commands.Justify(r.id(), UserEmail.parse("actor", requester), "ticket " + i, Optional.empty(), Origin.api("test")));
            }
            if (i % 5 == 1) {
                ports.service.cancel(r.id(), UserEmail.parse("actor", requester), Origin.api("test"));
            }
            ports.advance(Duration.ofSeconds(1));
        }
    }

    private List<AccessRequest> everything() {
        Page<AccessRequest> all = ports.store.search(new RequestQuery(Set.of(), Optional.empty(), Optional.empty(), 0, 1000));
        return all.items();
    }

    private List<String> allPages(UserEmail viewer, RequestQueries.Show show, Optional<String> status, int size) {
        List<String> seen = new ArrayList<>();
        for (int page = 0; ; page++) {
            RequestQueries.VisiblePage p = queries.listFor(viewer, show, status, Optional.empty(), Optional.empty(), page, size);
            p.items().forEach(r -> seen.add(r.id().value()));
            assertThat(p.items().size()).isLessThanOrEqualTo(size);
            if (!p.more()) {
                return seen;
            }
            assertThat(p.items()).hasSize(size);
        }
    }

    @Test
    void everyoneSeesExactlyWhatGetForShowsThemNewestFirstAcrossPages() {
        requestMany();
        List<AccessRequest> all = everything();
        for (String who : List.of("root", "olga", "pat", "sec1", "req3", "nobody")) {
            UserEmail viewer = e(who);
            List<String> expected = all.stream().filter(r -> queries.canSee(viewer, r)).map(r -> r.id().value()).toList();
            for (int size : List.of(1, 7, 25, 100)) {
                assertThat(allPages(viewer, RequestQueries.Show.ALL, Optional.empty(), size))
                        .as("%s, pages of %d", who, size).containsExactlyElementsOf(expected);
            }
        }
        assertThat(allPages(e("nobody"), RequestQueries.Show.ALL, Optional.empty(), 25)).isEmpty();
        assertThat(allPages(e("root"), RequestQueries.Show.ALL, Optional.empty(), 100)).as("an admin of org sees all")
                .hasSize(150);
    }

    @Test
    void mineIsTheirOwnAndWaitingForMeIsWhatTheyCanDecideNow() {
        requestMany();
        UserEmail req3 = e("req3");
        assertThat(allPages(req3, RequestQueries.Show.MINE, Optional.empty(), 10)).hasSize(15)
                .allSatisfy(id -> assertThat(queries.get(id).requester()).isEqualTo(req3));
        for (String who : List.of("root", "olga", "pat", "sec1", "req3")) {
            UserEmail viewer = e(who);
            List<String> decidable = queries.pendingFor(viewer, 1000).stream()
                    .filter(r -> queries.whyCannotDecide(viewer, r).isEmpty()).map(r -> r.id().value()).toList();
            assertThat(allPages(viewer, RequestQueries.Show.WAITING_FOR_ME, Optional.empty(), 7)).as(who)
                    .containsExactlyElementsOf(decidable);
        }
        assertThat(allPages(e("pat"), RequestQueries.Show.WAITING_FOR_ME, Optional.empty(), 7)).isNotEmpty();
    }

    @Test
    void filtersNarrowWhatThePersonMaySeeAndBadOnesNameTheField() {
        requestMany();
        UserEmail root = e("root");
        assertThat(allPages(root, RequestQueries.Show.ALL, Optional.of("CANCELLED"), 10))
                .allSatisfy(id -> assertThat(queries.get(id).status()).isEqualTo(Status.CANCELLED)).hasSize(30);
        assertThatThrownBy(() -> queries.listFor(root, RequestQueries.Show.ALL, Optional.of("BOGUS"), Optional.empty(),
                Optional.empty(), 0, 10)).isInstanceOf(InvalidInputException.class).extracting("field").isEqualTo("status");
        assertThatThrownBy(() -> queries.listFor(root, RequestQueries.Show.ALL, Optional.empty(), Optional.empty(),
                Optional.empty(), -1, 10)).isInstanceOf(InvalidInputException.class).extracting("field").isEqualTo("page");
    }

    /** A signed-in person with no role: their listing reads their own requests only, however many others are stored. */
    @Test
    void aPersonWithNoRoleCostsAReadOfTheirOwnRequestsOnly() {
        requestMany();
        UserEmail otto = e("otto");
        for (int i = 0; i < 3; i++) {
            ports.service.intake(new Commands.Intake(otto, "ec2:Describe" + i, "555555555555", Optional.empty(),
                    Optional.of("1h"), Optional.empty(), Optional.of("test"), Optional.empty(), Origin.api("test")));
            ports.advance(Duration.ofSeconds(1));
        }
        List<String> expected = everything().stream().filter(r -> queries.canSee(otto, r)).map(r -> r.id().value()).toList();
        assertThat(expected).hasSize(3);

        ports.store.searchRowsRead = 0;
        RequestQueries.VisiblePage all = queries.listFor(otto, RequestQueries.Show.ALL, Optional.empty(), Optional.empty(),
                Optional.empty(), 0, 25);
        assertThat(all.items()).extracting(r -> r.id().value()).containsExactlyElementsOf(expected);
        assertThat(ports.store.searchRowsRead).as("rows read for a page of someone with no role").isEqualTo(3);

        ports.store.searches = 0;
        ports.store.pendingRowsRead = 0;
        assertThat(queries.listFor(otto, RequestQueries.Show.ALL, Optional.empty(), Optional.empty(),
                Optional.of("req3@example.com"), 0, 25).items()).as("someone else's requests").isEmpty();
        assertThat(queries.listFor(otto, RequestQueries.Show.WAITING_FOR_ME, Optional.empty(), Optional.empty(),
                Optional.empty(), 0, 25).items()).as("nothing to decide").isEmpty();
        assertThat(ports.store.searches + ports.store.pendingRowsRead).as("neither reads anything").isZero();

        ports.store.searchRowsRead = 0;
        queries.listFor(e("root"), RequestQueries.Show.ALL, Optional.empty(), Optional.empty(), Optional.empty(), 0, 25);
        assertThat(ports.store.searchRowsRead).as("an admin's page reads the stored rows, a batch at a time")
                .isGreaterThanOrEqualTo(25);
    }
}
