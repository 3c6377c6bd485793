package dev.clearance.core.model;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ValuesTest {
    @Test
    void durationsParseShortFormsIsoAndUntilRevoked() {
        assertThat(AccessDuration.parse("15m").duration()).contains(Duration.ofMinutes(15));
        assertThat(AccessDuration.parse("4h").duration()).contains(Duration.ofHours(4));
        assertThat(AccessDuration.parse("3d").duration()).contains(Duration.ofDays(3));
        assertThat(AccessDuration.parse("PT1H")).isEqualTo(AccessDuration.parse("1h"));
        assertThat(AccessDuration.parse("pt90m").toString()).isEqualTo("90m");
        assertThat(AccessDuration.parse("until-revoked").isUntilRevoked()).isTrue();
        assertThat(AccessDuration.parse("1d").describe()).isEqualTo("1 day");
        assertThat(AccessDuration.parse("8h").describe()).isEqualTo("8 hours");
    }

    @Test
    void badDurationsNameTheFieldAndTheFix() {
        for (String bad : List.of("", "forever", "0h", "-1h", "PT0S", "10x", "1.5h")) {
            assertThatThrownBy(() -> AccessDuration.parse("duration", bad)).as(bad)
                    .isInstanceOf(InvalidInputException.class)
                    .satisfies(e -> assertThat(((InvalidInputException) e).field()).isEqualTo("duration"));
        }
    }

    @Test
    void everyDurationIsAtMost366DaysAndNothingOverflows() {
        assertThat(AccessDuration.parse("366d").duration()).contains(Duration.ofDays(366));
        assertThat(AccessDuration.parse("8784h")).isEqualTo(AccessDuration.parse("366d"));
        assertThat(AccessDuration.parse("P366D")).isEqualTo(AccessDuration.parse("366d"));
        for (String huge : List.of("367d", "999999d", "8785h", "527041m", "P367D", "PT9223372036854775807S",
                "P9999999999999D", "PT99999999999999999999S", "P106751991167300D", "PT2562047788015215H30M7S")) {
            assertThatThrownBy(() -> AccessDuration.parse("duration", huge)).as(huge)
                    .isInstanceOf(InvalidInputException.class)
                    .satisfies(e -> assertThat(((InvalidInputException) e).field()).isEqualTo("duration"));
        }
        assertThatThrownBy(() -> AccessDuration.of(Duration.ofDays(367))).isInstanceOf(IllegalArgumentException.class);
        assertThat(AccessDuration.MENU_WITH_END).doesNotContain(AccessDuration.UNTIL_REVOKED).hasSize(7);
        assertThat(AccessDuration.parse("366d").twice().toString()).as("a total may be twice the longest").isEqualTo("732d");
    }

    @Test
    void untilRevokedExceedsEveryDurationAndTheMenuIsCapped() {
        assertThat(AccessDuration.UNTIL_REVOKED.exceeds(AccessDuration.parse("7d"))).isTrue();
        assertThat(AccessDuration.parse("7d").exceeds(AccessDuration.UNTIL_REVOKED)).isFalse();
        assertThat(AccessDuration.menuUpTo(AccessDuration.parse("8h")).stream().map(AccessDuration::toString))
                .containsExactly("15m", "1h", "4h", "8h");
        assertThat(AccessDuration.menuUpTo(AccessDuration.UNTIL_REVOKED)).hasSize(8);
    }

    @Test
    void emailsAreNormalisedAndValidated() {
        assertThat(UserEmail.of(" Alice@Example.COM ").value()).isEqualTo("alice@example.com");
        assertThatThrownBy(() -> UserEmail.parse("requester", "alice")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("not an email");
    }

    @Test
    void scopePathsKnowTheirAncestors() {
        ScopePath p = ScopePath.of("org/prod/123456789012");
        assertThat(p.selfAndAncestors()).extracting(ScopePath::value)
                .containsExactly("org/prod/123456789012", "org/prod", "org");
        assertThat(ScopePath.of("org").isSelfOrAncestorOf(p)).isTrue();
        assertThat(ScopePath.of("org/pro").isSelfOrAncestorOf(p)).isFalse();
        assertThatThrownBy(() -> ScopePath.of("org//prod")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void requestIdsHaveAStableShape() {
        RequestId id = RequestId.random();
        assertThat(id.value()).matches("REQ-[0-9A-Z]{10}");
        assertThat(RequestId.parse(id.value().toLowerCase())).isEqualTo(id);
        assertThatThrownBy(() -> RequestId.parse("nope")).isInstanceOf(NotFoundException.class);
    }
}
