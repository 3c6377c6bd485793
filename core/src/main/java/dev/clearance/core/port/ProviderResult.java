package dev.clearance.core.port;

import java.util.Optional;

/**
 * What an access provider did, for the record.
 *
 * @param reference the platform's own id for what was done (e.g. an assignment request id), shown on the request
 * @param note      what an auditor should know (e.g. "already assigned before this grant: left in place")
 */
public record ProviderResult(Optional<String> reference, Optional<String> note) {
    public static ProviderResult done() {
        return new ProviderResult(Optional.empty(), Optional.empty());
    }

    public static ProviderResult of(String reference, String note) {
        return new ProviderResult(Optional.ofNullable(reference), Optional.ofNullable(note));
    }
}
