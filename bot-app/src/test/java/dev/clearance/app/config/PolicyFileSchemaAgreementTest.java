package dev.clearance.app.config;

import dev.clearance.adapters.access.aws.PermissionSetGrants;
import dev.clearance.core.model.AccessDuration;
import dev.clearance.core.model.ScopePath;
import dev.clearance.core.model.UserEmail;
import dev.clearance.core.policy.AccountNames;
import dev.clearance.core.policy.Policy;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * config/clearance.schema.json and the loader's section classes state the same rules, compared one by one: every
 * object in the schema has exactly the keys its section accepts, every enum and const is what the loader accepts
 * (case included), and every pattern and range is either the loader's own constant or agrees with the loader on the
 * values that matter. A key, value or pattern added to one and not the other fails here.
 */
class PolicyFileSchemaAgreementTest {
    private static final JsonNode SCHEMA = readSchema();

    /** Where each object is in a policy file, as {@link #walk} names it, and the keys the loader accepts there. */
    private static final Map<String, Set<String>> LOADER_KEYS = Map.ofEntries(
            Map.entry("", PolicyFileLoader.SECTIONS),
            Map.entry("intervals", IntervalsSection.KEYS),
            Map.entry("limits", LimitsSection.KEYS),
            Map.entry("detection", DetectionSection.KEYS),
            Map.entry("users[]", PeopleSection.USER_KEYS),
            Map.entry("scopes[]", ScopesSection.KEYS),
            Map.entry("scopes[].approval-channels", ScopesSection.APPROVAL_CHANNEL_KEYS),
            Map.entry("policies[]", PoliciesSection.POLICY_KEYS),
            Map.entry("policies[].match", PoliciesSection.MATCH_KEYS),
            Map.entry("policies[].steps[]", PoliciesSection.STEP_KEYS),
            Map.entry("default-policy", PoliciesSection.DEFAULT_POLICY_KEYS),
            Map.entry("$defs.grant", new PermissionSetGrants().keys()));

    private static JsonNode readSchema() {
        try {
            return JsonMapper.builder().build().readTree(Files.readString(Path.of("../config/clearance.schema.json")));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every schema node by where it applies: {@code a.b} for a property, {@code []} for items, {@code .*} for values. */
    private static Map<String, List<JsonNode>> nodes() {
        Map<String, List<JsonNode>> all = new TreeMap<>();
        walk(SCHEMA, "", all);
        SCHEMA.get("$defs").properties().forEach(d -> walk(d.getValue(), "$defs." + d.getKey(), all));
        return all;
    }

    private static void walk(JsonNode node, String path, Map<String, List<JsonNode>> all) {
        all.computeIfAbsent(path, p -> new ArrayList<>()).add(node);
        if (node.has("properties")) {
            node.get("properties").properties().forEach(p -> walk(p.getValue(), path.isEmpty() ? p.getKey()
                    : path + "." + p.getKey(), all));
        }
        if (node.has("items")) {
            walk(node.get("items"), path + "[]", all);
        }
        if (node.has("additionalProperties") && node.get("additionalProperties").isObject()) {
            walk(node.get("additionalProperties"), path + ".*", all);
        }
        if (node.has("propertyNames")) {
            walk(node.get("propertyNames"), path + "{names}", all);
        }
        if (node.has("not")) {
            walk(node.get("not"), path + "{not}", all);
        }
        for (String combinator : List.of("anyOf", "oneOf", "allOf")) {
            if (node.has(combinator)) {
                node.get(combinator).forEach(n -> walk(n, path, all));
            }
        }
    }

    /** For each path, the given keyword's values wherever it appears there. */
    private static Map<String, List<JsonNode>> keyword(String name) {
        Map<String, List<JsonNode>> found = new TreeMap<>();
        nodes().forEach((path, list) -> list.stream().filter(n -> n.has(name))
                .forEach(n -> found.computeIfAbsent(path, p -> new ArrayList<>()).add(n.get(name))));
        return found;
    }

    @Test
    void everyObjectInTheSchemaHasExactlyTheKeysItsSectionAccepts() {
        Map<String, Set<String>> schemaKeys = new TreeMap<>();
        keyword("properties").forEach((path, props) -> schemaKeys.put(path, props.stream()
                .flatMap(p -> p.propertyNames().stream()).collect(Collectors.toCollection(TreeSet::new))));
        assertThat(schemaKeys.keySet()).as("the objects of the schema, each with the section class that reads it")
                .isEqualTo(new TreeSet<>(LOADER_KEYS.keySet()));
        LOADER_KEYS.forEach((path, keys) -> assertThat(schemaKeys.get(path)).as("keys of " + (path.isEmpty() ? "(top level)" : path))
                .isEqualTo(new TreeSet<>(keys)));
        assertThat(keyword("additionalProperties").entrySet().stream().filter(e -> LOADER_KEYS.containsKey(e.getKey()))
                .allMatch(e -> e.getValue().stream().allMatch(v -> v.isBoolean() && !v.booleanValue())))
                .as("every object with known keys refuses others, as the loader does").isTrue();
    }

    @Test
    void everyEnumAndConstIsWhatTheLoaderAcceptsCaseIncluded() {
        Map<String, Set<String>> enums = new TreeMap<>();
        keyword("enum").forEach((path, values) -> enums.put(path, values.stream().flatMap(v -> v.valueStream())
                .map(PolicyFileSchemaAgreementTest::written).collect(Collectors.toCollection(TreeSet::new))));
        assertThat(enums).isEqualTo(Map.of(
                "users[].channels[]", new TreeSet<>(PeopleSection.CHAT_CHANNELS),
                "policies[].self-approval", new TreeSet<>(PoliciesSection.SELF_APPROVAL.keySet()),
                "policies[].justification", new TreeSet<>(PoliciesSection.JUSTIFICATION.keySet()),
                "default-policy.justification", new TreeSet<>(PoliciesSection.JUSTIFICATION.keySet())));
        Map<String, Set<String>> consts = new TreeMap<>();
        keyword("const").forEach((path, values) -> consts.put(path, values.stream()
                .map(PolicyFileSchemaAgreementTest::written).collect(Collectors.toCollection(TreeSet::new))));
        assertThat(consts).isEqualTo(Map.of(
                "intervals.expiry-notice", Set.of(PolicyYaml.OFF),
                "limits.new-request-after-denial", Set.of(PolicyYaml.OFF),
                "detection.new-request-after-denial", Set.of(PolicyYaml.OFF),
                "policies[].name{not}", Set.of(Policy.DEFAULT_NAME),
                "$defs.approver", Set.of(PeopleSection.SCOPE_APPROVERS)));
        for (String v : List.of("slack", "Slack", "SLACK", "pager")) {
            assertThat(accepts("users:\n  - {email: a@example.com, channels: [\"" + v + "\"]}\n"))
                    .as("channel " + v).isEqualTo(PeopleSection.CHAT_CHANNELS.contains(v));
        }
        for (String v : List.of("allowed", "Allowed", "ALLOWED", "aLLowed", "forbidden", "Forbidden", "FORBIDDEN", "forBidden",
                " allowed", "sometimes")) {
            assertThat(accepts(policy("self-approval: \"" + v + "\""))).as("self-approval " + v)
                    .isEqualTo(enums.get("policies[].self-approval").contains(v));
        }
        for (String v : List.of("required", "off", "Required", "OFF", "Off", " off", "false", "maybe")) {
            assertThat(accepts(policy("justification: \"" + v + "\""))).as("justification " + v)
                    .isEqualTo(enums.get("policies[].justification").contains(v));
        }
    }

    /** What the YAML would say for this JSON value: a number or a boolean as written, a string as it is. */
    private static String written(JsonNode v) {
        return v.isString() ? v.asString() : v.toString();
    }

    @Test
    void everyPatternIsTheLoadersOwnOrAgreesWithItOnSamples() {
        Map<String, List<String>> patterns = new TreeMap<>();
        keyword("pattern").forEach((path, values) -> patterns.put(path, values.stream().map(JsonNode::asString).toList()));
        String email = patterns.get("$defs.email").get(0);
        String group = "^" + PeopleSection.GROUP_PREFIX + PeopleSection.GROUP_NAME.pattern().substring(1);
        Map<String, List<String>> same = Map.of(
                "detection.protected[]", List.of(DetectionSection.ACTION_GLOB.pattern()),
                "detection.disabled-services[]", List.of(DetectionSection.SERVICE.pattern()),
                "detection.denial-codes[]", List.of(DetectionSection.CODE_GLOB.pattern()),
                "detection.identities{names}", List.of(DetectionSection.PRINCIPAL_ARN.pattern()),
                "groups{names}", List.of(PeopleSection.GROUP_NAME.pattern()),
                "scopes[].approval-channels.slack", List.of(ScopesSection.SLACK_CHANNEL.pattern()),
                "scopes[].approval-channels.teams", List.of(ScopesSection.TEAMS_CHANNEL.pattern()),
                "$defs.approver", List.of(email, group),
                "$defs.people[]", List.of(email, group));
        same.forEach((path, expected) -> assertThat(patterns.get(path)).as(path).isEqualTo(expected));

        Map<String, Predicate<String>> sampled = Map.of(
                "intervals.grant-attempts", v -> accepts("intervals: {grant-attempts: \"" + v + "\"}\n"),
                "unknown-accounts", v -> accepts("unknown-accounts: \"" + v + "\"\n"),
                "scopes[].path", v -> parses(() -> ScopePath.of(v)),
                "scopes[].accounts[]", v -> AccountNames.problem(v).isEmpty(),
                "policies[].steps[].approvals", v -> accepts(policy("steps: [{approvers: [scope-approvers], approvals: \"" + v + "\"}]")),
                "$defs.grant.permission-set", v -> new PermissionSetGrants().problems(Map.of("permission-set", v)).isEmpty(),
                "$defs.interval", v -> PolicyYaml.interval(v).isPresent(),
                "$defs.duration", v -> parses(() -> AccessDuration.parse(v)),
                "$defs.email", v -> parses(() -> UserEmail.of(v)),
                "$defs.limit", v -> accepts("limits: {open-requests-per-person: \"" + v + "\"}\n"));
        Set<String> all = new TreeSet<>(same.keySet());
        all.addAll(sampled.keySet());
        assertThat(patterns.keySet()).as("every pattern of the schema is compared").isEqualTo(all);
        List<String> disagreements = new ArrayList<>();
        sampled.forEach((path, loader) -> {
            Pattern schema = Pattern.compile(patterns.get(path).get(0));
            for (String v : samples(path)) {
                boolean bySchema = schema.matcher(v).find();
                if (bySchema != loader.test(v)) {
                    disagreements.add(path + " '" + v + "': the schema " + (bySchema ? "accepts" : "refuses") + " it");
                }
            }
        });
        // The loader reads a number as Java does and an email as the core does (trimmed): these spellings, which no
        // plain YAML value has, it takes while the schema asks for the plain one. The schema is never the looser.
        assertThat(disagreements).as("values the schema and the loader judge differently").containsExactlyInAnyOrder(
                "intervals.grant-attempts '05': the schema refuses it", "intervals.grant-attempts '+5': the schema refuses it",
                "policies[].steps[].approvals '05': the schema refuses it",
                "policies[].steps[].approvals '+5': the schema refuses it",
                "$defs.limit '007': the schema refuses it", "$defs.limit '+7': the schema refuses it",
                "$defs.email 'a@example.com ': the schema refuses it");
    }

    @Test
    void everyRangeIsTheLoaders() {
        Map<String, List<String>> ranges = new TreeMap<>();
        for (String bound : List.of("minimum", "maximum")) {
            keyword(bound).forEach((path, values) -> values.forEach(v -> ranges.computeIfAbsent(path, p -> new ArrayList<>())
                    .add(bound + " " + v.asString())));
        }
        assertThat(ranges).isEqualTo(Map.of(
                "intervals.grant-attempts", List.of("minimum " + IntervalsSection.MIN_GRANT_ATTEMPTS,
                        "maximum " + IntervalsSection.MAX_GRANT_ATTEMPTS),
                "$defs.limit", List.of("minimum 0", "maximum " + LimitsSection.MAX_COUNT),
                "policies[].steps[].approvals", List.of("minimum " + PoliciesSection.MIN_APPROVALS),
                "scopes[].accounts[]", List.of("minimum 0")));
        for (int n : List.of(-1, 0, 1, 100, 101)) {
            assertThat(accepts("intervals: {grant-attempts: " + n + "}\n")).as("grant-attempts " + n)
                    .isEqualTo(n >= IntervalsSection.MIN_GRANT_ATTEMPTS && n <= IntervalsSection.MAX_GRANT_ATTEMPTS);
            assertThat(accepts(policy("steps: [{approvers: [a@example.com, b@example.com], approvals: " + n + "}]")))
                    .as("approvals " + n).isEqualTo(n >= PoliciesSection.MIN_APPROVALS && n <= 2);
        }
        for (int n : List.of(-1, 0, 100_000, 100_001)) {
            assertThat(accepts("limits: {open-requests-per-person: " + n + "}\n")).as("limit " + n)
                    .isEqualTo(n >= 0 && n <= LimitsSection.MAX_COUNT);
        }
    }

    /** Values on both sides of each pattern's edges; an account written as a number is one of digits. */
    private static List<String> samples(String path) {
        List<String> common = List.of("", " ", "x", "0", "-1");
        List<String> specific = switch (path) {
            case "intervals.grant-attempts", "policies[].steps[].approvals" -> Stream.concat(
                    IntStream.rangeClosed(-2, 102).mapToObj(String::valueOf), Stream.of("05", "+5", "1.0", " 5", "5 ", "1e2")).toList();
            case "$defs.limit" -> Stream.concat(Stream.of(-1, 0, 1, 9, 10, 99_999, 100_000, 100_001, 999_999).map(String::valueOf),
                    Stream.of("007", " 7 ", "+7", "7.0")).toList();
            case "unknown-accounts" -> List.of("root", "ROOT", "Root", "rOoT", " refuse ", "refuse", "REFUSE", "allow", "roots", "ro ot");
            case "scopes[].path" -> List.of("org", "org/prod", "org//prod", "/org", "org/", "-org", "Org.x_y-z", "org/prod/123456789012",
                    "a".repeat(63), "a".repeat(64), "org/" + "b".repeat(63), "org/" + "b".repeat(64), "org prod", "org/*");
            case "scopes[].accounts[]" -> List.of("111", "111122223333", "111 222", "11*", "a".repeat(128), "a".repeat(129), "-x",
                    "x:y/z@w+=", "acct.name_1", "_x", "é");
            case "$defs.grant.permission-set" -> List.of("arn:aws:sso:::permissionSet/ssoins-1111222233334444/ps-aaaabbbbccccdddd",
                    "arn:aws-cn:sso:::permissionSet/ins-1111222233334444/ps-aaaabbbbccccdddd",
                    "arn:aws:sso:::permissionSet/ssoins-111122223333444/ps-aaaabbbbccccdddd",
                    "arn:aws:iam::111122223333:role/Admin", "arn:aws:sso:::permissionSet/ssoins-1111222233334444/ps-aaaabbbbccccdddd ");
            case "$defs.interval" -> intervals();
            case "$defs.duration" -> List.of("15m", "1h", "8h", "1d", "7d", "366d", "367d", "8784h", "8785h", "527040m", "527041m",
                    "0m", "0d", "00001h", "1000000d", "1s", "5M", " 4h ", "until-revoked", "Until-Revoked", "until revoked",
                    "untilrevoked", "PT1H", "pt30m", "P1D", "P1DT2H", "PT", "P", "PT1.5S", "forever", "1", "h");
            case "$defs.email" -> List.of("a@example.com", "a.b+c@sub.example.org", "a@example", "@example.com", "a@@example.com",
                    "a b@example.com", "a@example.com ", "a@.com", "A@Example.COM");
            default -> throw new IllegalStateException("no samples for " + path);
        };
        List<String> all = new ArrayList<>(common);
        all.addAll(specific);
        return List.copyOf(new LinkedHashSet<>(all));
    }

    private static List<String> intervals() {
        List<String> all = new ArrayList<>();
        for (String n : List.of("", "0", "1", "24", "000", "001", "999999", "0999999", "1000000")) {
            for (String unit : List.of("", "s", "m", "h", "d", "S", "H", "w", "ms")) {
                all.add(n + unit);
            }
        }
        all.addAll(List.of(" 24h", "24h ", "24 h", "+1h", "-1h", "1.5h"));
        return all;
    }

    private static final String VALID = """
            users:
              - {email: a@example.com}
            scopes:
              - path: org
                admins: [a@example.com]
            default-policy: {max-duration: 1d}
            """;

    private static String policy(String line) {
        String yaml = "policies:\n  - name: p\n    match: {resource: \"s3:*\"}\n    max-duration: 8h\n    " + line + "\n";
        return line.startsWith("steps:") ? yaml : yaml + "    steps: [{approvers: [a@example.com]}]\n";
    }

    /** Whether the loader takes the valid file with this section (or this section replaced) added. */
    private static boolean accepts(String section) {
        String yaml = section.startsWith("users:") ? VALID.replace("users:\n  - {email: a@example.com}\n", section) : VALID + section;
        try {
            PolicyFiles.parse("sample.yml", yaml);
            return true;
        } catch (PolicyFileException e) {
            return false;
        }
    }

    private static boolean parses(Runnable parse) {
        try {
            parse.run();
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
