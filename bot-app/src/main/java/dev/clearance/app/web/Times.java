package dev.clearance.app.web;

import org.springframework.stereotype.Component;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

/** Times on the web page, as {@code ${@times.format(...)}}: in UTC, as in chat messages and the audit trail. */
@Component("times")
public class Times {
    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    public String format(Instant at) {
        return at == null ? "" : FORMAT.format(at);
    }

    public String format(Optional<Instant> at) {
        return at.map(this::format).orElse("");
    }
}
