package dev.clearance.app.config;

import dev.clearance.adapters.access.aws.PermissionSets;
import dev.clearance.core.model.AccessDuration;
import dev.clearance.core.model.Person;
import dev.clearance.core.model.ScopePath;
import dev.clearance.core.model.UserEmail;
import dev.clearance.core.policy.AccountNames;
import dev.clearance.core.policy.ApproverSet;
import dev.clearance.core.policy.ApproverTree;
import dev.clearance.core.policy.ClearanceConfig;
import dev.clearance.core.policy.Detection;
import dev.clearance.core.policy.GlobPattern;
import dev.clearance.core.policy.Intervals;
import dev.clearance.core.policy.Limits;
import dev.clearance.core.policy.Policy;
import dev.clearance.core.policy.PolicyStep;
import dev.clearance.core.policy.Scope;
import dev.clearance.core.policy.UnknownAccounts;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and validates the policy file. Collects every problem (not just the first), each as
 * {@code file:line: key: what is wrong and what to write instead}; and warnings, in the same form, for what is allowed
 * but probably not meant (a policy that states no {@code max-duration}), logged at startup and printed by
 * {@code validate-config}.
 */
public final class PolicyFileLoader {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(PolicyFileLoader.class);
    private static final Pattern GROUP_NAME = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$");
    private static final Pattern INTERVAL = Pattern.compile("^(\\d{1,6})([smhd])$");
    private static final String SCOPE_APPROVERS = "scope-approvers";
    private static final Set<String> CHAT_CHANNELS = Set.of("slack", "teams", "email", "log");

    private final String file;
    private final List<String> problems = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();

    /** A valid policy file, and what it would be wise to state in it. */
    public record Loaded(ClearanceConfig config, List<String> warnings) {
        public Loaded {
            warnings = List.copyOf(warnings);
        }
    }

    private PolicyFileLoader(String file) {
        this.file = file;
    }

    /** Loads a policy file, logging each warning. */
    public static ClearanceConfig load(Path path) {
        return logged(read(path));
    }

    public static ClearanceConfig parse(String name, String yaml) {
        return logged(parseWithWarnings(name, yaml));
    }

    private static ClearanceConfig logged(Loaded loaded) {
        loaded.warnings().forEach(w -> LOG.warn("policy file: {}", w));
        return loaded.config();
    }

    /** Loads a policy file; the warnings are the caller's to show. */
    public static Loaded read(Path path) {
        String name = path.toString();
        if (!Files.isRegularFile(path)) {
            throw new PolicyFileException(name, List.of(name + ": file not found (set CLEARANCE_CONFIG to the policy file's path)"));
        }
        try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            return new PolicyFileLoader(name).parse(reader);
        } catch (IOException e) {
            throw new PolicyFileException(name, List.of(name + ": cannot be read: " + e.getMessage()));
        }
    }

    public static Loaded parseWithWarnings(String name, String yaml) {
        return new PolicyFileLoader(name).parse(new StringReader(yaml));
    }

    private Loaded parse(Reader reader) {
        Node root;
        try {
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(false);
            root = new Yaml(new SafeConstructor(options)).compose(reader);
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1;
            throw new PolicyFileException(file, List.of(file + ":" + line + ": not valid YAML: " + e.getProblem()));
        } catch (RuntimeException e) {
            throw new PolicyFileException(file, List.of(file + ": not valid YAML: " + e.getMessage()));
        }
        if (!(root instanceof MappingNode top)) {
            throw new PolicyFileException(file, List.of(file + ": expected a mapping with users, groups, scopes and policies"));
        }
        Map<String, Node> sections = mapping(top, "(top level)", Set.of("intervals", "users", "groups", "scopes",
                "policies", "default-policy", "unknown-accounts", "limits", "detection"));
        Intervals intervals = intervals(sections.get("intervals"));
        UnknownAccounts unknownAccounts = unknownAccounts(sections.get("unknown-accounts"));
        Limits limits = limits(sections.get("limits"));
        Map<UserEmail, Person> users = users(sections.get("users"));
        Map<String, Set<UserEmail>> groups = groups(sections.get("groups"));
        ApproverTree tree = scopes(sections.get("scopes"), top, groups);
        Policy defaultPolicy = defaultPolicy(sections.get("default-policy"), top);
        List<Policy> policies = policies(sections.get("policies"), groups);
        boolean grantsPermissionSets = !defaultPolicy.grant().isEmpty() || policies.stream().anyMatch(p -> !p.grant().isEmpty());
        if (grantsPermissionSets) {
            // the request's account is where the permission set is assigned: an AWS account id
            for (ScopePath path : tree.paths()) {
                for (String account : tree.scope(path).map(Scope::accounts).orElse(Set.of())) {
                    PermissionSets.accountProblem(account).ifPresent(p -> problem(sections.get("scopes"),
                            "scopes[" + path + "].accounts", p));
                }
            }
        }
        Detection detection = new DetectionSection(this).read(sections.get("detection"));
        if (!problems.isEmpty()) {
            throw new PolicyFileException(file, problems);
        }
        return new Loaded(new ClearanceConfig(users, groups, tree, policies, defaultPolicy, intervals, unknownAccounts,
                limits, detection), warnings);
    }

    // ------------------------------------------------------------------ sections

    private Intervals intervals(Node node) {
        Intervals d = Intervals.defaults();
        if (node == null) {
            return d;
        }
        Map<String, Node> m = mapping(node, "intervals", Set.of("justification-window", "pending-window",
                "escalation-interval", "provider-retry-initial", "provider-retry-max", "grant-attempts", "expiry-notice"));
        Duration justification = interval(m.get("justification-window"), "intervals.justification-window", d.justificationWindow());
        Duration pending = interval(m.get("pending-window"), "intervals.pending-window", d.pendingWindow());
        Duration escalation = interval(m.get("escalation-interval"), "intervals.escalation-interval", d.escalationInterval());
        Duration retryInitial = interval(m.get("provider-retry-initial"), "intervals.provider-retry-initial", d.providerRetryInitial());
        Duration retryMax = interval(m.get("provider-retry-max"), "intervals.provider-retry-max", d.providerRetryMax());
        int attempts = d.grantAttempts();
        if (m.containsKey("grant-attempts")) {
            String v = scalar(m.get("grant-attempts"), "intervals.grant-attempts");
            try {
                attempts = Integer.parseInt(v);
                if (attempts < 1 || attempts > 100) {
                    throw new NumberFormatException();
                }
            } catch (NumberFormatException e) {
                problem(m.get("grant-attempts"), "intervals.grant-attempts", "'" + v + "' is not a whole number from 1 to 100");
            }
        }
        Duration expiryNotice = d.expiryNotice();
        if (m.containsKey("expiry-notice") && scalar(m.get("expiry-notice"), "intervals.expiry-notice").trim().equals("0")) {
            expiryNotice = Duration.ZERO;
        } else {
            expiryNotice = interval(m.get("expiry-notice"), "intervals.expiry-notice", expiryNotice);
        }
        return new Intervals(justification, pending, escalation, retryInitial, retryMax, attempts, expiryNotice);
    }

    private UnknownAccounts unknownAccounts(Node node) {
        if (node == null) {
            return UnknownAccounts.ROOT;
        }
        String v = scalar(node, "unknown-accounts").trim().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "root" -> UnknownAccounts.ROOT;
            case "refuse" -> UnknownAccounts.REFUSE;
            default -> {
                problem(node, "unknown-accounts", "write root (an account no scope declares belongs to the root scope) "
                        + "or refuse (such a request is refused), not '" + v + "'");
                yield UnknownAccounts.ROOT;
            }
        };
    }

    private Limits limits(Node node) {
        Limits d = Limits.defaults();
        if (node == null) {
            return d;
        }
        Map<String, Node> m = mapping(node, "limits", Set.of("new-request-after-denial", "open-requests-per-person",
                "requests-per-hour-per-person"));
        Duration cooldown = d.newRequestAfterDenial();
        if (m.containsKey("new-request-after-denial")
                && scalar(m.get("new-request-after-denial"), "limits.new-request-after-denial").trim().equals("0")) {
            cooldown = Duration.ZERO;
        } else {
            cooldown = interval(m.get("new-request-after-denial"), "limits.new-request-after-denial", cooldown);
        }
        return new Limits(cooldown,
                count(m.get("open-requests-per-person"), "limits.open-requests-per-person", d.openRequestsPerPerson()),
                count(m.get("requests-per-hour-per-person"), "limits.requests-per-hour-per-person", d.requestsPerHourPerPerson()));
    }

    /** A whole number from 0 (the limit is off) to 100000. */
    private int count(Node node, String key, int fallback) {
        if (node == null) {
            return fallback;
        }
        String v = scalar(node, key).trim();
        try {
            int n = Integer.parseInt(v);
            if (n >= 0 && n <= 100_000) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        problem(node, key, "'" + v + "' is not a whole number from 0 (no limit) to 100000");
        return fallback;
    }

    private Map<UserEmail, Person> users(Node node) {
        Map<UserEmail, Person> users = new LinkedHashMap<>();
        if (node == null) {
            return users;
        }
        for (Node item : sequence(node, "users")) {
            Map<String, Node> m = mapping(item, "users[]", Set.of("email", "name", "slack", "teams", "channels"));
            if (!m.containsKey("email")) {
                problem(item, "users[].email", "each user needs an email");
                continue;
            }
            Optional<UserEmail> email = email(m.get("email"), "users[].email");
            if (email.isEmpty()) {
                continue;
            }
            if (users.containsKey(email.get())) {
                problem(m.get("email"), "users[].email", "user " + email.get() + " is declared twice");
            }
            Map<String, String> identities = new LinkedHashMap<>();
            for (String platform : List.of("slack", "teams")) {
                if (m.containsKey(platform)) {
                    identities.put(platform, scalar(m.get(platform), "users[]." + platform));
                }
            }
            List<String> channels = new ArrayList<>();
            if (m.containsKey("channels")) {
                for (Node n : sequence(m.get("channels"), "users[].channels")) {
                    String channel = scalar(n, "users[].channels");
                    if (!CHAT_CHANNELS.contains(channel)) {
                        problem(n, "users[].channels", "unknown chat platform '" + channel + "'; write slack, teams, email or log");
                    }
                    channels.add(channel);
                }
            }
            String name = m.containsKey("name") ? scalar(m.get("name"), "users[].name") : email.get().value();
            users.put(email.get(), new Person(email.get(), name, identities, channels));
        }
        return users;
    }

    private Map<String, Set<UserEmail>> groups(Node node) {
        Map<String, Set<UserEmail>> groups = new LinkedHashMap<>();
        if (node == null) {
            return groups;
        }
        if (!(node instanceof MappingNode m)) {
            problem(node, "groups", "expected a mapping of group name to a list of member emails");
            return groups;
        }
        for (NodeTuple t : m.getValue()) {
            String name = scalar(t.getKeyNode(), "groups");
            if (!GROUP_NAME.matcher(name).matches()) {
                problem(t.getKeyNode(), "groups." + name, "group names use letters, digits, '.', '_' and '-'");
            }
            Set<UserEmail> members = new LinkedHashSet<>();
            for (Node member : sequence(t.getValueNode(), "groups." + name)) {
                email(member, "groups." + name).ifPresent(members::add);
            }
            if (members.isEmpty()) {
                problem(t.getValueNode(), "groups." + name, "group '" + name + "' has no members");
            }
            groups.put(name, members);
        }
        return groups;
    }

    private ApproverTree scopes(Node node, Node top, Map<String, Set<UserEmail>> groups) {
        Map<ScopePath, Scope> scopes = new LinkedHashMap<>();
        Map<ScopePath, Node> where = new LinkedHashMap<>();
        Map<String, ScopePath> accountOwners = new LinkedHashMap<>();
        if (node == null) {
            problem(top, "scopes", "declare at least the root scope, e.g. '- path: org' with its admins");
            return new ApproverTree(ScopePath.of("org"), Map.of());
        }
        for (Node item : sequence(node, "scopes")) {
            Map<String, Node> m = mapping(item, "scopes[]", Set.of("path", "approvers", "admins", "accounts", "approval-channels"));
            if (!m.containsKey("path")) {
                problem(item, "scopes[].path", "each scope needs a path such as org or org/prod");
                continue;
            }
            String raw = scalar(m.get("path"), "scopes[].path");
            ScopePath path;
            try {
                path = ScopePath.of(raw);
            } catch (IllegalArgumentException e) {
                problem(m.get("path"), "scopes[].path", e.getMessage());
                continue;
            }
            String key = "scopes[" + path + "]";
            if (scopes.containsKey(path)) {
                problem(m.get("path"), key, "scope " + path + " is declared twice");
            }
            ApproverSet approvers = approverList(m.get("approvers"), key + ".approvers", groups, false);
            ApproverSet admins = approverList(m.get("admins"), key + ".admins", groups, false);
            Set<String> accounts = new LinkedHashSet<>();
            if (m.containsKey("accounts")) {
                for (Node a : sequence(m.get("accounts"), key + ".accounts")) {
                    String account = scalar(a, key + ".accounts");
                    AccountNames.problem(account).ifPresent(p -> problem(a, key + ".accounts",
                            "'" + account + "' can never be requested: " + p));
                    // NB: accounts are matched ignoring case (ApproverTree.declaringScope), so declared so too
                    ScopePath owner = accountOwners.putIfAbsent(account.toLowerCase(Locale.ROOT), path);
                    if (owner != null && !owner.equals(path)) {
                        problem(a, key + ".accounts", "account " + account + " is already declared in scope " + owner);
                    }
                    accounts.add(account);
                }
            }
            Map<String, String> channels = new LinkedHashMap<>();
            if (m.containsKey("approval-channels")) {
                Map<String, Node> c = mapping(m.get("approval-channels"), key + ".approval-channels", Set.of("slack", "teams"));
                c.forEach((platform, id) -> {
                    String channel = scalar(id, key + ".approval-channels." + platform).trim();
                    if (platform.equals("slack") && !channel.matches("^[CG][A-Z0-9]{2,}$")) {
                        problem(id, key + ".approval-channels." + platform, "'" + channel + "' is not a Slack channel id "
                                + "(like C0123ABCD; in Slack: channel details → About → Channel ID)");
                    } else if (platform.equals("teams") && (channel.length() > 512 || channel.contains(";")
                            || !channel.matches("^[\\x21-\\x7e]+$"))) {
                        problem(id, key + ".approval-channels." + platform, "'" + channel + "' is not a Teams channel "
                                + "conversation id (like 19:abc…@thread.tacv2; to see it, @mention Clearance in the channel "
                                + "with the word channelid)");
                    } else {
                        channels.put(platform, channel);
                    }
                });
            }
            scopes.put(path, new Scope(path, approvers, admins, accounts, channels));
            where.put(path, item);
        }
        List<ScopePath> roots = scopes.keySet().stream().filter(p -> p.parent().isEmpty()).toList();
        if (roots.size() != 1) {
            problem(node, "scopes", roots.isEmpty() ? "no root scope (a path without '/')"
                    : "exactly one root scope is allowed, found " + roots);
        }
        for (ScopePath p : scopes.keySet()) {
            p.parent().filter(parent -> !scopes.containsKey(parent)).ifPresent(parent ->
                    problem(where.get(p), "scopes[" + p + "].path", "parent scope " + parent + " is not declared"));
        }
        if (scopes.values().stream().allMatch(s -> s.admins().isEmpty())) {
            problem(node, "scopes", "no administrator declared: add 'admins' to the root scope, so that someone "
                    + "receives alerts and can revoke");
        }
        ScopePath root = roots.isEmpty() ? ScopePath.of("org") : roots.get(0);
        try {
            return new ApproverTree(root, scopes);
        } catch (IllegalArgumentException e) {
            problem(node, "scopes", e.getMessage());
            return new ApproverTree(root, Map.of());
        }
    }

    private Policy defaultPolicy(Node node, Node top) {
        if (node == null) {
            warn(top, "default-policy", "no default-policy section: requests no policy matches may last at most "
                    + Policy.DEFAULT_MAX_DURATION + " (" + Policy.defaultTotal(Policy.DEFAULT_MAX_DURATION)
                    + " with extensions); state default-policy: {max-duration: ...} to choose");
            return Policy.defaultPolicy(Policy.DEFAULT_MAX_DURATION);
        }
        Map<String, Node> m = mapping(node, "default-policy", Set.of("max-duration", "max-total-duration", "grant",
                "justification"));
        AccessDuration max = maxDuration(m.get("max-duration"), node, "default-policy");
        return Policy.defaultPolicy(max, grant(m.get("grant"), "default-policy.grant"),
                maxTotalDuration(m.get("max-total-duration"), max, "default-policy"),
                justification(m.get("justification"), "default-policy.justification"));
    }

    private List<Policy> policies(Node node, Map<String, Set<UserEmail>> groups) {
        List<Policy> policies = new ArrayList<>();
        if (node == null) {
            return policies;
        }
        Set<String> names = new HashSet<>(Set.of(Policy.DEFAULT_NAME));
        for (Node item : sequence(node, "policies")) {
            Map<String, Node> m = mapping(item, "policies[]", Set.of("name", "match", "max-duration", "max-total-duration",
                    "self-approval", "steps", "grant", "justification"));
            if (!m.containsKey("name")) {
                problem(item, "policies[].name", "each policy needs a name");
                continue;
            }
            String name = scalar(m.get("name"), "policies[].name");
            String key = "policies[" + name + "]";
            if (!names.add(name)) {
                problem(m.get("name"), key + ".name", name.equals(Policy.DEFAULT_NAME)
                        ? "'default' is the built-in policy; use default-policy to change it"
                        : "duplicate policy name '" + name + "'");
            }
            Optional<GlobPattern> resource = Optional.empty();
            Optional<GlobPattern> account = Optional.empty();
            if (!m.containsKey("match")) {
                problem(item, key + ".match", "a policy needs a match with at least one of resource, account");
            } else {
                Map<String, Node> match = mapping(m.get("match"), key + ".match", Set.of("resource", "account"));
                resource = glob(match.get("resource"), key + ".match.resource");
                account = glob(match.get("account"), key + ".match.account");
                if (match.isEmpty()) {
                    problem(m.get("match"), key + ".match", "give at least one of resource, account");
                }
            }
            AccessDuration max = maxDuration(m.get("max-duration"), item, key);
            AccessDuration total = maxTotalDuration(m.get("max-total-duration"), max, key);
            boolean selfApproval = false;
            if (m.containsKey("self-approval")) {
                String v = scalar(m.get("self-approval"), key + ".self-approval").toLowerCase(Locale.ROOT);
                if (v.equals("allowed")) {
                    selfApproval = true;
                } else if (!v.equals("forbidden")) {
                    problem(m.get("self-approval"), key + ".self-approval", "write allowed or forbidden, not '" + v + "'");
                }
            }
            List<PolicyStep> steps = steps(m.get("steps"), item, key, groups);
            Map<String, String> grant = grant(m.get("grant"), key + ".grant");
            if (!grant.isEmpty() && account.isPresent() && !account.get().toString().contains("*")
                    && !account.get().toString().contains("?")) {
                PermissionSets.accountProblem(account.get().toString())
                        .ifPresent(p -> problem(m.get("match"), key + ".match.account", p));
            }
            if (!steps.isEmpty()) {
                policies.add(new Policy(name, resource, account, max, selfApproval, steps, grant, total,
                        justification(m.get("justification"), key + ".justification")));
            }
        }
        return policies;
    }

    /** {@code justification: required} (the default) or {@code off}. */
    private boolean justification(Node node, String key) {
        if (node == null) {
            return true;
        }
        String v = scalar(node, key).trim().toLowerCase(Locale.ROOT);
        if (!v.equals("required") && !v.equals("off")) {
            problem(node, key, "write required (the requester says why before approvers are asked) or off (the"
                    + " request goes straight to its approvers), not '" + v + "'");
        }
        return !v.equals("off");
    }

    /**
     * What a policy grants, in the access provider's terms. The one known today is {@code permission-set} (an IAM
     * Identity Center permission set ARN, for the aws-identity-center provider); its format is checked here.
     */
    private Map<String, String> grant(Node node, String key) {
        if (node == null) {
            return Map.of();
        }
        Map<String, Node> m = mapping(node, key, Set.of(PermissionSets.ATTRIBUTE));
        Map<String, String> grant = new java.util.LinkedHashMap<>();
        if (m.containsKey(PermissionSets.ATTRIBUTE)) {
            String arn = scalar(m.get(PermissionSets.ATTRIBUTE), key + "." + PermissionSets.ATTRIBUTE);
            PermissionSets.arnProblem(arn).ifPresent(p -> problem(m.get(PermissionSets.ATTRIBUTE),
                    key + "." + PermissionSets.ATTRIBUTE, p));
            grant.put(PermissionSets.ATTRIBUTE, arn);
        } else {
            problem(node, key, "name what to grant: permission-set: arn:aws:sso:::permissionSet/ssoins-…/ps-…");
        }
        return grant;
    }

    private List<PolicyStep> steps(Node node, Node policy, String key, Map<String, Set<UserEmail>> groups) {
        List<PolicyStep> steps = new ArrayList<>();
        if (node == null) {
            problem(policy, key + ".steps", "a policy needs at least one step");
            return steps;
        }
        List<Node> items = sequence(node, key + ".steps");
        if (items.isEmpty()) {
            problem(node, key + ".steps", "a policy needs at least one step");
        }
        for (int i = 0; i < items.size(); i++) {
            String stepKey = key + ".steps[" + (i + 1) + "]";
            Map<String, Node> m = mapping(items.get(i), stepKey, Set.of("name", "approvers", "approvals"));
            Optional<String> name = m.containsKey("name") ? Optional.of(scalar(m.get("name"), stepKey + ".name")) : Optional.empty();
            if (!m.containsKey("approvers")) {
                problem(items.get(i), stepKey + ".approvers", "a step needs approvers (emails, group:NAME or scope-approvers)");
                continue;
            }
            ApproverSet approvers = approverList(m.get("approvers"), stepKey + ".approvers", groups, true);
            int required = 1;
            if (m.containsKey("approvals")) {
                String v = scalar(m.get("approvals"), stepKey + ".approvals");
                try {
                    required = Integer.parseInt(v);
                    if (required < 1) {
                        throw new NumberFormatException();
                    }
                } catch (NumberFormatException e) {
                    problem(m.get("approvals"), stepKey + ".approvals", "'" + v + "' is not a whole number of at least 1");
                    continue;
                }
            }
            if (!approvers.scopeApprovers() && groups.keySet().containsAll(approvers.groups())) {
                Set<UserEmail> people = new HashSet<>(approvers.users());
                approvers.groups().forEach(g -> people.addAll(groups.getOrDefault(g, Set.of())));
                if (required > people.size()) {
                    problem(m.containsKey("approvals") ? m.get("approvals") : items.get(i), stepKey + ".approvals",
                            "the step needs " + required + " approvals but names only " + people.size()
                                    + " approver" + (people.size() == 1 ? "" : "s"));
                }
            }
            steps.add(new PolicyStep(name, approvers, required));
        }
        return steps;
    }

    // ------------------------------------------------------------------ values

    private ApproverSet approverList(Node node, String key, Map<String, Set<UserEmail>> groups, boolean allowScope) {
        Set<UserEmail> users = new LinkedHashSet<>();
        Set<String> groupNames = new LinkedHashSet<>();
        boolean scopeApprovers = false;
        if (node == null) {
            return new ApproverSet(users, groupNames, false);
        }
        for (Node n : sequence(node, key)) {
            String v = scalar(n, key);
            if (v.equals(SCOPE_APPROVERS)) {
                if (allowScope) {
                    scopeApprovers = true;
                } else {
                    problem(n, key, "scope-approvers is only meaningful in a policy step");
                }
            } else if (v.startsWith("group:")) {
                String g = v.substring("group:".length());
                if (!groups.containsKey(g)) {
                    problem(n, key, "unknown group '" + g + "'" + (groups.isEmpty() ? "; declare it under groups"
                            : "; declared groups: " + String.join(", ", groups.keySet())));
                }
                groupNames.add(g);
            } else {
                email(n, key).ifPresent(users::add);
            }
        }
        return new ApproverSet(users, groupNames, scopeApprovers);
    }

    Optional<GlobPattern> glob(Node node, String key) {
        if (node == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(GlobPattern.compile(scalar(node, key)));
        } catch (IllegalArgumentException e) {
            problem(node, key, "bad glob: " + e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * A policy's {@code max-duration}. NB: until revoked only where the file writes it; a policy that states none gets
     * the bounded default, with a warning naming it.
     */
    private AccessDuration maxDuration(Node node, Node policy, String policyKey) {
        String key = policyKey + ".max-duration";
        if (node == null) {
            warn(policy, key, "not stated: access under this policy may last at most " + Policy.DEFAULT_MAX_DURATION
                    + " (the default); state max-duration (until-revoked only if that is meant)");
            return Policy.DEFAULT_MAX_DURATION;
        }
        return duration(node, key).orElse(Policy.DEFAULT_MAX_DURATION);
    }

    /** A policy's {@code max-total-duration}: default twice {@code max}, never less, until revoked only if max is. */
    private AccessDuration maxTotalDuration(Node node, AccessDuration max, String policyKey) {
        String key = policyKey + ".max-total-duration";
        if (node == null) {
            return Policy.defaultTotal(max);
        }
        Optional<AccessDuration> total = duration(node, key);
        if (total.isEmpty()) {
            return Policy.defaultTotal(max);
        }
        if (total.get().isUntilRevoked() && !max.isUntilRevoked()) {
            problem(node, key, "until-revoked is allowed only when max-duration is until-revoked (it is " + max
                    + "); write a duration of at least " + max);
            return Policy.defaultTotal(max);
        }
        if (max.exceeds(total.get())) {
            problem(node, key, total.get() + " is shorter than max-duration (" + max + "); write at least " + max);
            return Policy.defaultTotal(max);
        }
        return total.get();
    }

    private Optional<AccessDuration> duration(Node node, String key) {
        try {
            return Optional.of(AccessDuration.parse(scalar(node, key)));
        } catch (IllegalArgumentException e) {
            problem(node, key, "bad duration: " + e.getMessage());
            return Optional.empty();
        }
    }

    Duration interval(Node node, String key, Duration fallback) {
        if (node == null) {
            return fallback;
        }
        String v = scalar(node, key).trim().toLowerCase(Locale.ROOT);
        Matcher m = INTERVAL.matcher(v);
        if (m.matches() && Long.parseLong(m.group(1)) > 0) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        }
        problem(node, key, "bad duration '" + v + "': write a positive number followed by s, m, h or d, e.g. 24h");
        return fallback;
    }

    Optional<UserEmail> email(Node node, String key) {
        String v = scalar(node, key);
        try {
            return Optional.of(UserEmail.of(v));
        } catch (IllegalArgumentException e) {
            problem(node, key, "'" + v + "' is not an email address (groups are written group:NAME)");
            return Optional.empty();
        }
    }

    // ------------------------------------------------------------------ YAML helpers

    Map<String, Node> mapping(Node node, String key, Set<String> allowed) {
        Map<String, Node> result = new LinkedHashMap<>();
        if (!(node instanceof MappingNode m)) {
            problem(node, key, "expected a mapping");
            return result;
        }
        for (NodeTuple t : m.getValue()) {
            String k = scalar(t.getKeyNode(), key);
            if (!allowed.contains(k)) {
                problem(t.getKeyNode(), key, "unknown key '" + k + "'; expected one of " + String.join(", ", allowed.stream().sorted().toList()));
            } else {
                result.put(k, t.getValueNode());
            }
        }
        return result;
    }

    List<Node> sequence(Node node, String key) {
        if (node instanceof SequenceNode s) {
            return s.getValue();
        }
        problem(node, key, "expected a list");
        return List.of();
    }

    String scalar(Node node, String key) {
        if (node instanceof ScalarNode s) {
            return s.getValue();
        }
        problem(node, key, "expected a single value");
        return "";
    }

    private void warn(Node node, String key, String message) {
        int line = node == null || node.getStartMark() == null ? 0 : node.getStartMark().getLine() + 1;
        warnings.add(file + (line > 0 ? ":" + line : "") + ": " + key + ": " + message);
    }

    void problem(Node node, String key, String message) {
        int line = node == null || node.getStartMark() == null ? 0 : node.getStartMark().getLine() + 1;
        problems.add(file + ":" + line + ": " + key + ": " + message);
    }
}
