package dev.clearance.core.policy;

import dev.clearance.core.model.Person;
import dev.clearance.core.model.UserEmail;
import dev.clearance.core.port.Directory;

import java.util.Optional;
import java.util.Set;

/** The directory as declared in the policy file: users with their chat identities, and groups. */
public final class ConfiguredDirectory implements Directory {
    private final ClearanceConfig config;

    public ConfiguredDirectory(ClearanceConfig config) {
        this.config = config;
    }

    @Override
    public Person person(UserEmail email) {
        Person p = config.users().get(email);
        return p != null ? p : Person.anonymous(email);
    }

    @Override
    public Set<UserEmail> groupMembers(String group) {
        return config.groups().getOrDefault(group, Set.of());
    }

    @Override
    public Optional<UserEmail> byChatIdentity(String platform, String id) {
        return config.users().values().stream()
                .filter(p -> p.chatIdentity(platform).filter(id::equalsIgnoreCase).isPresent())
                .map(Person::email)
                .findFirst();
    }
}
