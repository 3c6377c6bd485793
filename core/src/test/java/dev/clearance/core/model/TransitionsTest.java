package dev.clearance.core.model;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TransitionsTest {
    private static final Map<Status, Set<Status>> EXPECTED = Map.of(
            Status.REQUESTED, EnumSet.of(Status.PENDING, Status.ABANDONED, Status.ABANDONED_EXPIRED, Status.CANCELLED),
            Status.PENDING, EnumSet.of(Status.APPROVED, Status.DENIED, Status.EXPIRED, Status.CANCELLED),
            Status.APPROVED, EnumSet.of(Status.ENDED));

    static Stream<Arguments> everyPair() {
        return Stream.of(Status.values()).flatMap(from -> Stream.of(Status.values()).map(to -> Arguments.of(from, to)));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("everyPair")
    void everyPairIsLegalExactlyWhenListed(Status from, Status to) {
        boolean expected = EXPECTED.getOrDefault(from, Set.of()).contains(to);
        assertThat(Transitions.isLegal(from, to)).isEqualTo(expected);
        AccessRequest r = request(from);
        if (expected) {
            r.transition(to, "bob@example.com", Instant.parse("2026-01-01T01:00:00Z"), "because");
            assertThat(r.status()).isEqualTo(to);
            AuditEvent last = r.history().get(r.history().size() - 1);
            assertThat(last).isEqualTo(new AuditEvent(Instant.parse("2026-01-01T01:00:00Z"), "bob@example.com", from, to, "because",
                    Origin.api("test")));
        } else {
            int before = r.history().size();
            assertThatThrownBy(() -> r.transition(to, "bob@example.com", Instant.EPOCH, "x"))
                    .isInstanceOf(IllegalTransitionException.class)
                    .hasMessageContaining(from.name()).hasMessageContaining(to.name());
            assertThat(r.status()).isEqualTo(from);
            assertThat(r.history()).hasSize(before);
        }
    }

    @Test
    void terminalStatusesAreNotActive() {
        assertThat(EnumSet.allOf(Status.class).stream().filter(Status::isActive))
                .containsExactlyInAnyOrder(Status.REQUESTED, Status.PENDING, Status.APPROVED);
        for (Status s : Status.values()) {
            if (!s.isActive()) {
                assertThat(Transitions.from(s)).as(s.name()).isEmpty();
            }
        }
    }

    static AccessRequest request(Status status) {
        return AccessRequest.create(AccessRequest.builder().id(RequestId.random()).requester(UserEmail.of("alice@example.com"))
                .resource("s3:DeleteBucket").account("123456789012").scope(ScopePath.of("org")).policyName("default")
                .createdAt(Instant.EPOCH).status(status).requestedDuration(AccessDuration.parse("1h")), Instant.EPOCH, "created", Origin.api("test"));
    }
}
