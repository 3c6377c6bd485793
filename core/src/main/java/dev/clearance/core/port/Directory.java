package dev.clearance.core.port;

import dev.clearance.core.model.Person;
import dev.clearance.core.model.UserEmail;

import java.util.Optional;
import java.util.Set;

/** Users and groups. Anyone with an email may request access; only declared people approve or administer. */
public interface Directory {
    /** The declared person, or one known only by email. */
    Person person(UserEmail email);

    /** Members of a declared group; empty for an unknown group. */
    Set<UserEmail> groupMembers(String group);

    /** The email behind a chat identity, e.g. ("slack", "U123ABC") or ("teams", aad object id). */
    Optional<UserEmail> byChatIdentity(String platform, String id);
}
