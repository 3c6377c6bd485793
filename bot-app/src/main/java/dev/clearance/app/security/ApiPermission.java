package dev.clearance.app.security;

import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** What an API token may do: each token carries the permissions its holder needs, and no more. */
public enum ApiPermission {
    /** create requests ({@code POST /api/v1/requests}) and send notices ({@code POST /api/v1/notifications/**}) */
    INTAKE,
    /** read requests and dry-run the policies ({@code GET /api/v1/**}) */
    READ,
    /** act as the requester or an approver named in the body: justify, abandon, decide, cancel, extend */
    DECIDE,
    /** revoke as an admin */
    ADMIN,
    /** scrape {@code /actuator/prometheus} */
    METRICS;

    /** The word used in the settings and in refusals: {@code intake}, {@code read}, ... */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    GrantedAuthority authority() {
        return new SimpleGrantedAuthority("api:" + word());
    }

    static Optional<ApiPermission> parse(String word) {
        return Arrays.stream(values()).filter(p -> p.word().equals(word)).findFirst();
    }

    static String words() {
        return Arrays.stream(values()).map(ApiPermission::word).collect(Collectors.joining(", "));
    }
}
