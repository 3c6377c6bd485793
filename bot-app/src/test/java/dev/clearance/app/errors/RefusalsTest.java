package dev.clearance.app.errors;

import dev.clearance.core.model.ClearanceException;
import dev.clearance.core.model.ConflictException;
import dev.clearance.core.model.IllegalTransitionException;
import dev.clearance.core.model.RateLimitedException;
import dev.clearance.core.model.Status;
import dev.clearance.core.model.StoreUnavailableException;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;

import java.time.Instant;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The one mapping from the core's refusals to HTTP, shared by the REST API and the web page. */
class RefusalsTest {
    @Test
    void everyKindOfRefusalHasItsOwnStatusAndNoneIsAServerError() {
        Set<Class<?>> kinds = Arrays.stream(ClearanceException.class.getPermittedSubclasses()).collect(Collectors.toSet());
        assertThat(Refusals.STATUS.keySet()).as("a status for every kind of refusal the core has, and no other")
                .isEqualTo(kinds);
        assertThat(Refusals.STATUS.values()).doesNotHaveDuplicates()
                .allMatch(s -> s.is4xxClientError() || s == HttpStatus.SERVICE_UNAVAILABLE);
    }

    @Test
    void aSubclassTakesItsKindsStatus() {
        assertThat(Refusals.status(new IllegalTransitionException(Status.ENDED, Status.APPROVED)))
                .isEqualTo(HttpStatus.CONFLICT);
        assertThat(Refusals.status(new ConflictException("taken"))).isEqualTo(HttpStatus.CONFLICT);
    }

    @Test
    void retryAfterRoundsALimitUpToWholeSecondsAndIsOneForAnUnavailableStore() {
        Instant now = Instant.parse("2026-12-02T10:00:00Z");
        assertThat(Refusals.retryAfter(new RateLimitedException("x", "m", now.plusMillis(1500), now))).hasValue("2");
        assertThat(Refusals.retryAfter(new RateLimitedException("x", "m", now.plusMillis(10), now))).hasValue("1");
        assertThat(Refusals.retryAfter(new RateLimitedException("x", "m", now.plusSeconds(60), now))).hasValue("60");
        assertThat(Refusals.retryAfter(new StoreUnavailableException("down", new RuntimeException()))).hasValue("1");
        assertThat(Refusals.retryAfter(new ConflictException("taken"))).isEmpty();
    }
}
