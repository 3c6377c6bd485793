package dev.clearance.app.config;

import dev.clearance.core.model.ScopePath;
import dev.clearance.core.model.UserEmail;
import dev.clearance.core.policy.AccountNames;
import dev.clearance.core.policy.ApproverSet;
import dev.clearance.core.policy.ApproverTree;
import dev.clearance.core.policy.Scope;
import dev.clearance.core.policy.UnknownAccounts;
import org.yaml.snakeyaml.nodes.Node;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The approver tree: the policy file's {@code scopes} (paths, approvers, admins, the accounts each declares, approval
 * channels) and {@code unknown-accounts} (where a request for an account no scope declares belongs).
 */
final class ScopesSection {
    /** The keys a {@code scopes} entry accepts (the schema's {@code scopes.items.properties}). */
    static final Set<String> KEYS = Set.of("path", "approvers", "admins", "accounts", "approval-channels");
    /** The keys {@code approval-channels} accepts: the platforms with shared channels. */
    static final Set<String> APPROVAL_CHANNEL_KEYS = Set.of("slack", "teams");
    static final Pattern SLACK_CHANNEL = Pattern.compile("^[CG][A-Z0-9]{2,}$");
    /** Printable ASCII without ';' (a thread suffix such as ;messageid=1 is not the channel), at most 512. */
    static final Pattern TEAMS_CHANNEL = Pattern.compile("^[\\x21-\\x3a\\x3c-\\x7e]{1,512}$");
    /** What {@code unknown-accounts} accepts, ignoring case and surrounding spaces. */
    static final Map<String, UnknownAccounts> UNKNOWN_ACCOUNTS = Map.of("root", UnknownAccounts.ROOT,
            "refuse", UnknownAccounts.REFUSE);

    private final PolicyYaml yaml;
    private final PeopleSection people;

    ScopesSection(PolicyYaml yaml, PeopleSection people) {
        this.yaml = yaml;
        this.people = people;
    }

    UnknownAccounts unknownAccounts(Node node) {
        if (node == null) {
            return UnknownAccounts.ROOT;
        }
        String v = yaml.scalar(node, "unknown-accounts").trim().toLowerCase(Locale.ROOT);
        UnknownAccounts value = UNKNOWN_ACCOUNTS.get(v);
        if (value == null) {
            yaml.problem(node, "unknown-accounts", "write root (an account no scope declares belongs to the root scope) "
                    + "or refuse (such a request is refused), not '" + v + "'");
            return UnknownAccounts.ROOT;
        }
        return value;
    }

    ApproverTree read(Node node, Node top, Map<String, Set<UserEmail>> groups) {
        Map<ScopePath, Scope> scopes = new LinkedHashMap<>();
        Map<ScopePath, Node> where = new LinkedHashMap<>();
        Map<String, ScopePath> accountOwners = new LinkedHashMap<>();
        if (node == null) {
            yaml.problem(top, "scopes", "declare at least the root scope, e.g. '- path: org' with its admins");
            return new ApproverTree(ScopePath.of("org"), Map.of());
        }
        for (Node item : yaml.sequence(node, "scopes")) {
            Map<String, Node> m = yaml.mapping(item, "scopes[]", KEYS);
            if (!m.containsKey("path")) {
                yaml.problem(item, "scopes[].path", "each scope needs a path such as org or org/prod");
                continue;
            }
            String raw = yaml.scalar(m.get("path"), "scopes[].path");
            ScopePath path;
            try {
                path = ScopePath.of(raw);
            } catch (IllegalArgumentException e) {
                yaml.problem(m.get("path"), "scopes[].path", e.getMessage());
                continue;
            }
            String key = "scopes[" + path + "]";
            if (scopes.containsKey(path)) {
                yaml.problem(m.get("path"), key, "scope " + path + " is declared twice");
            }
            ApproverSet approvers = people.approvers(m.get("approvers"), key + ".approvers", groups, false);
            ApproverSet admins = people.approvers(m.get("admins"), key + ".admins", groups, false);
            Set<String> accounts = accounts(m.get("accounts"), key, path, accountOwners);
            Map<String, String> channels = approvalChannels(m.get("approval-channels"), key);
            scopes.put(path, new Scope(path, approvers, admins, accounts, channels));
            where.put(path, item);
        }
        return tree(node, scopes, where);
    }

    private Set<String> accounts(Node node, String key, ScopePath path, Map<String, ScopePath> accountOwners) {
        Set<String> accounts = new LinkedHashSet<>();
        if (node == null) {
            return accounts;
        }
        for (Node a : yaml.sequence(node, key + ".accounts")) {
            String account = yaml.scalar(a, key + ".accounts");
            AccountNames.problem(account).ifPresent(p -> yaml.problem(a, key + ".accounts",
                    "'" + account + "' can never be requested: " + p));
            // NB: accounts are matched ignoring case (ApproverTree.declaringScope), so declared so too
            ScopePath owner = accountOwners.putIfAbsent(account.toLowerCase(Locale.ROOT), path);
            if (owner != null && !owner.equals(path)) {
                yaml.problem(a, key + ".accounts", "account " + account + " is already declared in scope " + owner);
            }
            accounts.add(account);
        }
        return accounts;
    }

    private Map<String, String> approvalChannels(Node node, String key) {
        Map<String, String> channels = new LinkedHashMap<>();
        if (node == null) {
            return channels;
        }
        Map<String, Node> c = yaml.mapping(node, key + ".approval-channels", APPROVAL_CHANNEL_KEYS);
        c.forEach((platform, id) -> {
            String channel = yaml.scalar(id, key + ".approval-channels." + platform).trim();
            if (platform.equals("slack") && !SLACK_CHANNEL.matcher(channel).matches()) {
                yaml.problem(id, key + ".approval-channels." + platform, "'" + channel + "' is not a Slack channel id "
                        + "(like C0123ABCD; in Slack: channel details → About → Channel ID)");
            } else if (platform.equals("teams") && !TEAMS_CHANNEL.matcher(channel).matches()) {
                yaml.problem(id, key + ".approval-channels." + platform, "'" + channel + "' is not a Teams channel "
                        + "conversation id (like 19:abc…@thread.tacv2; to see it, @mention Clearance in the channel "
                        + "with the word channelid)");
            } else {
                channels.put(platform, channel);
            }
        });
        return channels;
    }

    /** One root, every other scope under a declared parent, someone to administer it. */
    private ApproverTree tree(Node node, Map<ScopePath, Scope> scopes, Map<ScopePath, Node> where) {
        List<ScopePath> roots = scopes.keySet().stream().filter(p -> p.parent().isEmpty()).toList();
        if (roots.size() != 1) {
            yaml.problem(node, "scopes", roots.isEmpty() ? "no root scope (a path without '/')"
                    : "exactly one root scope is allowed, found " + roots);
        }
        for (ScopePath p : scopes.keySet()) {
            p.parent().filter(parent -> !scopes.containsKey(parent)).ifPresent(parent ->
                    yaml.problem(where.get(p), "scopes[" + p + "].path", "parent scope " + parent + " is not declared"));
        }
        if (scopes.values().stream().allMatch(s -> s.admins().isEmpty())) {
            yaml.problem(node, "scopes", "no administrator declared: add 'admins' to the root scope, so that someone "
                    + "receives alerts and can revoke");
        }
        ScopePath root = roots.isEmpty() ? ScopePath.of("org") : roots.get(0);
        try {
            return new ApproverTree(root, scopes);
        } catch (IllegalArgumentException e) {
            yaml.problem(node, "scopes", e.getMessage());
            return new ApproverTree(root, Map.of());
        }
    }
}
