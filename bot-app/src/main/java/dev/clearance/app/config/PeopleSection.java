package dev.clearance.app.config;

import dev.clearance.core.model.Person;
import dev.clearance.core.model.UserEmail;
import dev.clearance.core.policy.ApproverSet;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The policy file's people: the {@code users} and {@code groups} sections, and the approver lists of scopes and steps
 * that name them (emails, {@code group:NAME}, and in a step {@code scope-approvers}).
 */
final class PeopleSection {
    /** The keys a {@code users} entry accepts (the schema's {@code users.items.properties}). */
    static final Set<String> USER_KEYS = Set.of("email", "name", "slack", "teams", "channels");
    /** What a user's {@code channels} may list (the schema's enum), exactly as written. */
    static final Set<String> CHAT_CHANNELS = Set.of("slack", "teams", "email", "log");
    /** A group's name (the schema's {@code groups.propertyNames.pattern}). */
    static final Pattern GROUP_NAME = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$");
    static final String GROUP_PREFIX = "group:";
    static final String SCOPE_APPROVERS = "scope-approvers";

    private final PolicyYaml yaml;

    PeopleSection(PolicyYaml yaml) {
        this.yaml = yaml;
    }

    Map<UserEmail, Person> users(Node node) {
        Map<UserEmail, Person> users = new LinkedHashMap<>();
        if (node == null) {
            return users;
        }
        for (Node item : yaml.sequence(node, "users")) {
            Map<String, Node> m = yaml.mapping(item, "users[]", USER_KEYS);
            if (!m.containsKey("email")) {
                yaml.problem(item, "users[].email", "each user needs an email");
                continue;
            }
            Optional<UserEmail> email = yaml.email(m.get("email"), "users[].email");
            if (email.isEmpty()) {
                continue;
            }
            if (users.containsKey(email.get())) {
                yaml.problem(m.get("email"), "users[].email", "user " + email.get() + " is declared twice");
            }
            Map<String, String> identities = new LinkedHashMap<>();
            for (String platform : List.of("slack", "teams")) {
                if (m.containsKey(platform)) {
                    identities.put(platform, yaml.scalar(m.get(platform), "users[]." + platform));
                }
            }
            List<String> channels = new ArrayList<>();
            if (m.containsKey("channels")) {
                for (Node n : yaml.sequence(m.get("channels"), "users[].channels")) {
                    String channel = yaml.scalar(n, "users[].channels");
                    if (!CHAT_CHANNELS.contains(channel)) {
                        yaml.problem(n, "users[].channels", "unknown chat platform '" + channel + "'; write slack, teams, email or log");
                    }
                    channels.add(channel);
                }
            }
            String name = m.containsKey("name") ? yaml.scalar(m.get("name"), "users[].name") : email.get().value();
            users.put(email.get(), new Person(email.get(), name, identities, channels));
        }
        return users;
    }

    Map<String, Set<UserEmail>> groups(Node node) {
        Map<String, Set<UserEmail>> groups = new LinkedHashMap<>();
        if (node == null) {
            return groups;
        }
        if (!(node instanceof MappingNode m)) {
            yaml.problem(node, "groups", "expected a mapping of group name to a list of member emails");
            return groups;
        }
        for (NodeTuple t : m.getValue()) {
            String name = yaml.scalar(t.getKeyNode(), "groups");
            if (!GROUP_NAME.matcher(name).matches()) {
                yaml.problem(t.getKeyNode(), "groups." + name, "group names use letters, digits, '.', '_' and '-'");
            }
            Set<UserEmail> members = new LinkedHashSet<>();
            for (Node member : yaml.sequence(t.getValueNode(), "groups." + name)) {
                yaml.email(member, "groups." + name).ifPresent(members::add);
            }
            if (members.isEmpty()) {
                yaml.problem(t.getValueNode(), "groups." + name, "group '" + name + "' has no members");
            }
            groups.put(name, members);
        }
        return groups;
    }

    /** An approver list; {@code scope-approvers} only where {@code allowScope} (a policy step). */
    ApproverSet approvers(Node node, String key, Map<String, Set<UserEmail>> groups, boolean allowScope) {
        Set<UserEmail> users = new LinkedHashSet<>();
        Set<String> groupNames = new LinkedHashSet<>();
        boolean scopeApprovers = false;
        if (node == null) {
            return new ApproverSet(users, groupNames, false);
        }
        for (Node n : yaml.sequence(node, key)) {
            String v = yaml.scalar(n, key);
            if (v.equals(SCOPE_APPROVERS)) {
                if (allowScope) {
                    scopeApprovers = true;
                } else {
                    yaml.problem(n, key, "scope-approvers is only meaningful in a policy step");
                }
            } else if (v.startsWith(GROUP_PREFIX)) {
                String g = v.substring(GROUP_PREFIX.length());
                if (!groups.containsKey(g)) {
                    yaml.problem(n, key, "unknown group '" + g + "'" + (groups.isEmpty() ? "; declare it under groups"
                            : "; declared groups: " + String.join(", ", groups.keySet())));
                }
                groupNames.add(g);
            } else {
                yaml.email(n, key).ifPresent(users::add);
            }
        }
        return new ApproverSet(users, groupNames, scopeApprovers);
    }
}
