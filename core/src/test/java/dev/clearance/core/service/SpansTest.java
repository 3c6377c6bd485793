package dev.clearance.core.service;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class SpansTest {
    @Test
    void windowsUnderAnHourAreNotShownAsZeroHours() {
        assertThat(Spans.of(Duration.ofMinutes(30))).isEqualTo("30m");
        assertThat(Spans.of(Duration.ofSeconds(45))).isEqualTo("45s");
        assertThat(Spans.of(Duration.ofMinutes(90))).isEqualTo("1h30m");
        assertThat(Spans.of(Duration.ofHours(24))).isEqualTo("24h");
        assertThat(Spans.of(Duration.ofDays(3))).isEqualTo("3d");
        assertThat(Spans.of(Duration.ofMillis(300))).isEqualTo("0s");
    }
}
