package dev.clearance.app.config;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Outbox settings as Spring binds them at startup: a bad value stops the start and names its key. */
class ClearancePropertiesTest {
    private static ClearanceProperties bind(Map<String, String> settings) {
        return new Binder(new MapConfigurationPropertySource(settings)).bind("clearance", ClearanceProperties.class).get();
    }

    @Test
    void theOutboxDeliversWithEightWorkersUnlessTold() {
        assertThat(bind(Map.of("clearance.config", "x.yml")).outbox().workers()).isEqualTo(8);
        assertThat(bind(Map.of("clearance.outbox.workers", "3", "clearance.outbox.batch-size", "10")).outbox().workers())
                .isEqualTo(3);
    }

    @Test
    void noWorkersIsRefusedNamingTheKey() {
        assertThatThrownBy(() -> bind(Map.of("clearance.outbox.workers", "0", "clearance.outbox.batch-size", "50")))
                .isInstanceOf(BindException.class)
                .rootCause().hasMessageContaining("clearance.outbox.workers").hasMessageContaining("CLEARANCE_OUTBOX_WORKERS");
        assertThatThrownBy(() -> bind(Map.of("clearance.outbox.workers", "2", "clearance.outbox.batch-size", "0")))
                .rootCause().hasMessageContaining("clearance.outbox.batch-size");
    }
}
