package dev.clearance.core.model;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the directory knows about a person.
 *
 * @param chatIdentities    platform name ({@code slack}, {@code teams}) to the person's id there
 * @param preferredChannels chat platforms to reach this person on; empty means "wherever they are known"
 */
public record Person(UserEmail email, String displayName, Map<String, String> chatIdentities,
                     List<String> preferredChannels) {
    public Person {
        chatIdentities = Map.copyOf(chatIdentities);
        preferredChannels = List.copyOf(preferredChannels);
    }

    public static Person anonymous(UserEmail email) {
        return new Person(email, email.value(), Map.of(), List.of());
    }

    public Optional<String> chatIdentity(String platform) {
        return Optional.ofNullable(chatIdentities.get(platform));
    }
}
