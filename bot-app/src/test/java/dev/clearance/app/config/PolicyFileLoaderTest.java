package dev.clearance.app.config;

import dev.clearance.core.model.AccessDuration;
import dev.clearance.core.policy.ClearanceConfig;
import dev.clearance.core.policy.Policy;
import dev.clearance.core.policy.Limits;
import dev.clearance.core.policy.UnknownAccounts;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PolicyFileLoaderTest {
    private static final String VALID_HEAD = """
            users:
              - email: a@example.com
            groups:
              sec: [s1@example.com, s2@example.com]
            scopes:
              - path: org
                approvers: [a@example.com]
                admins: [root@example.com]
              - path: org/prod
                approvers: [group:sec]
                accounts: ["111"]
            """;

    @Test
    void theShippedExampleIsValid() {
        ClearanceConfig c = PolicyFiles.load(Path.of("../config/clearance.example.yml"));
        assertThat(c.policies()).extracting(p -> p.name()).containsExactly("prod-destructive", "read-logs");
        assertThat(c.policyNamed("prod-destructive").orElseThrow().steps()).hasSize(2);
        assertThat(c.tree().paths()).hasSizeGreaterThanOrEqualTo(2);
        assertThat(c.groups()).containsKey("security");
        assertThat(c.intervals().escalationInterval()).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void everyProblemIsListedWithLineKeyAndFix() {
        String yaml = VALID_HEAD + """
                policies:
                  - name: one
                    match: {resource: "s3:[ab]*"}
                    max-duration: forever
                    steps:
                      - approvers: [group:nobody]
                  - name: one
                    match: {account: "111"}
                    steps:
                      - approvers: [a@example.com]
                        approvals: 3
                  - name: three
                    self-approval: sometimes
                    steps: []
                """;
        assertThatThrownBy(() -> PolicyFiles.parse("policies.yml", yaml))
                .isInstanceOf(PolicyFileException.class)
                .satisfies(e -> assertThat(((PolicyFileException) e).problems()).containsExactly(
                        "policies.yml:14: policies[one].match.resource: bad glob: glob 's3:[ab]*' may only use '*' and '?' as wildcards ('[', ']', '{', '}' and '\\' are not supported)",
                        "policies.yml:15: policies[one].max-duration: bad duration: 'forever' is not a duration: write 15m, 1h, 4h, 8h, 1d, 3d, 7d, until-revoked or ISO-8601 such as PT1H",
                        "policies.yml:17: policies[one].steps[1].approvers: unknown group 'nobody'; declared groups: sec",
                        "policies.yml:18: policies[one].name: duplicate policy name 'one'",
                        "policies.yml:22: policies[one].steps[1].approvals: the step needs 3 approvals but names only 1 approver",
                        "policies.yml:23: policies[three].match: a policy needs a match with at least one of resource, account",
                        "policies.yml:24: policies[three].self-approval: write allowed or forbidden, not 'sometimes'",
                        "policies.yml:25: policies[three].steps: a policy needs at least one step"));
    }

    @Test
    void structuralMistakesAreNamed() {
        assertProblem("""
                scopes:
                  - path: org/prod
                    admins: [root@example.com]
                """, "no root scope");
        assertProblem(VALID_HEAD.replace("path: org/prod", "path: org/prod/x"), "parent scope org/prod is not declared");
        assertProblem(VALID_HEAD + "unknown: 1\n", "unknown key 'unknown'");
        assertProblem(VALID_HEAD.replace("admins: [root@example.com]", "admins: []"), "no administrator declared");
        assertProblem(VALID_HEAD.replace("s2@example.com", "s2"), "'s2' is not an email address");
        assertProblem(VALID_HEAD + "intervals: {escalation-interval: soon}\n", "intervals.escalation-interval: bad duration 'soon'");
        assertProblem("users: [\n", "not valid YAML");
        assertProblem(VALID_HEAD.replace("accounts: [\"111\"]", "accounts: [\"111\"]\n    approval-channels: {slack: general}"),
                "'general' is not a Slack channel id");
        assertProblem(VALID_HEAD.replace("accounts: [\"111\"]", "accounts: [\"111\"]\n    approval-channels: {teams: \"19:abc;messageid=1\"}"),
                "approval-channels.teams: '19:abc;messageid=1' is not a Teams channel conversation id");
        assertProblem(VALID_HEAD.replace("accounts: [\"111\"]", "accounts: [\"111\"]\n    approval-channels: {matrix: x}"),
                "unknown key 'matrix'");
        assertProblem(VALID_HEAD + "intervals: {expiry-notice: soon}\n", "intervals.expiry-notice: bad duration 'soon'");
    }

    @Test
    void teamsApprovalChannelsAndTheExpiryNoticeAreRead() {
        ClearanceConfig c = PolicyFiles.parse("policies.yml", VALID_HEAD.replace("accounts: [\"111\"]",
                "accounts: [\"111\"]\n    approval-channels: {teams: \"19:abc123@thread.tacv2\", slack: C0123ABCD}")
                + "intervals: {expiry-notice: 0}\n");
        assertThat(c.tree().approvalChannels(dev.clearance.core.model.ScopePath.of("org/prod")))
                .containsEntry("teams", "19:abc123@thread.tacv2").containsEntry("slack", "C0123ABCD");
        assertThat(c.intervals().expiryNotice()).as("0 turns the notice off").isZero();
        assertThat(PolicyFiles.parse("policies.yml", VALID_HEAD).intervals().expiryNotice()).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void unknownAccountsAndLimitsAreReadWithTheirDefaults() {
        ClearanceConfig defaults = PolicyFiles.parse("policies.yml", VALID_HEAD);
        assertThat(defaults.unknownAccounts()).isEqualTo(UnknownAccounts.ROOT);
        assertThat(defaults.limits()).isEqualTo(new Limits(Duration.ofHours(1), 10, 20));
        ClearanceConfig c = PolicyFiles.parse("policies.yml", VALID_HEAD + """
                unknown-accounts: refuse
                limits: {new-request-after-denial: 30m, open-requests-per-person: 3, requests-per-hour-per-person: 0}
                """);
        assertThat(c.unknownAccounts()).isEqualTo(UnknownAccounts.REFUSE);
        assertThat(c.limits()).isEqualTo(new Limits(Duration.ofMinutes(30), 3, 0));
        assertThat(PolicyFiles.parse("p.yml", VALID_HEAD + "limits: {new-request-after-denial: 0}\n").limits()
                .newRequestAfterDenial()).as("0 turns the cooldown off").isZero();
        ClearanceConfig shipped = PolicyFiles.load(Path.of("../config/clearance.example.yml"));
        assertThat(shipped.limits()).as("the example shows the defaults").isEqualTo(Limits.defaults());
        assertThat(shipped.unknownAccounts()).isEqualTo(UnknownAccounts.ROOT);
    }

    /** The tests' policy files are the example with other limits: a change to the example must be copied to them. */
    @Test
    void theTestPolicyFilesAreTheExampleWithOtherLimits() throws Exception {
        String example = Files.readString(Path.of("../config/clearance.example.yml"));
        String head = example.substring(0, example.indexOf("\nlimits:") + 1);
        for (String name : List.of("clearance-test.yml", "clearance-limits.yml")) {
            Path file = Path.of("src/test/resources/policy", name);
            String text = Files.readString(file);
            assertThat(text.substring(0, text.indexOf("\nlimits:") + 1)).as(file + " up to its limits").isEqualTo(head);
            PolicyFiles.load(file);
        }
    }

    @Test
    void badUnknownAccountsAndLimitsAreNamed() {
        assertProblem(VALID_HEAD + "unknown-accounts: ignore\n", "unknown-accounts: write root");
        assertProblem(VALID_HEAD + "limits: {open-requests-per-person: many}\n",
                "limits.open-requests-per-person: 'many' is not a whole number from 0 (no limit) to 100000");
        assertProblem(VALID_HEAD + "limits: {requests-per-hour-per-person: -1}\n", "limits.requests-per-hour-per-person");
        assertProblem(VALID_HEAD + "limits: {new-request-after-denial: soon}\n", "limits.new-request-after-denial: bad duration 'soon'");
        assertProblem(VALID_HEAD + "limits: {per-day: 5}\n", "unknown key 'per-day'");
        assertProblem(VALID_HEAD.replace("accounts: [\"111\"]", "accounts: [\"111 222\"]"),
                "scopes[org/prod].accounts: '111 222' can never be requested: an account is an id or name");
    }

    @Test
    void validateConfigCommandReportsAndSetsTheExitCode() throws Exception {
        Path bad = Files.createTempFile("policy", ".yml");
        Files.writeString(bad, VALID_HEAD + "policies:\n  - name: x\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int ok = dev.clearance.app.ClearanceApplicationAccess.validate(new String[]{"validate-config", "../config/clearance.example.yml"},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(ok).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("OK ../config/clearance.example.yml")
                .contains("accounts no scope declares: root scope org; limits: new-request-after-denial 1h, "
                        + "open-requests-per-person 10, requests-per-hour-per-person 20");
        int failed = dev.clearance.app.ClearanceApplicationAccess.validate(new String[]{"validate-config", bad.toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(failed).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains(bad + ":13: policies[x].match");
    }

    @Test
    void aPolicyWithoutMaxDurationGetsADayAndAWarningNamingIt() {
        PolicyFileLoader.Loaded loaded = PolicyFiles.parseWithWarnings("p.yml", VALID_HEAD + """
                policies:
                  - name: quiet
                    match: {resource: "s3:*"}
                    steps:
                      - approvers: [a@example.com]
                  - name: forever
                    match: {resource: "iam:*"}
                    max-duration: until-revoked
                    steps:
                      - approvers: [a@example.com]
                """);
        Policy quiet = loaded.config().policyNamed("quiet").orElseThrow();
        assertThat(quiet.maxDuration()).as("bounded, not until revoked").isEqualTo(AccessDuration.parse("1d"));
        assertThat(quiet.maxTotalDuration()).isEqualTo(AccessDuration.parse("2d"));
        Policy forever = loaded.config().policyNamed("forever").orElseThrow();
        assertThat(forever.maxDuration().isUntilRevoked()).as("written explicitly").isTrue();
        assertThat(forever.maxTotalDuration().isUntilRevoked()).isTrue();
        assertThat(loaded.config().defaultPolicy().maxDuration()).as("no default-policy section: bounded too")
                .isEqualTo(AccessDuration.parse("1d"));
        assertThat(loaded.warnings()).containsExactly(
                "p.yml:1: default-policy: no default-policy section: requests no policy matches may last at most 1d "
                        + "(2d with extensions); state default-policy: {max-duration: ...} to choose",
                "p.yml:13: policies[quiet].max-duration: not stated: access under this policy may last at most 1d "
                        + "(the default); state max-duration (until-revoked only if that is meant)");

        PolicyFileLoader.Loaded section = PolicyFiles.parseWithWarnings("p.yml", VALID_HEAD + "default-policy: {}\n");
        assertThat(section.warnings()).containsExactly("p.yml:12: default-policy.max-duration: not stated: access under "
                + "this policy may last at most 1d (the default); state max-duration (until-revoked only if that is meant)");
        assertThat(PolicyFiles.parseWithWarnings("p.yml", VALID_HEAD + "default-policy: {max-duration: until-revoked}\n")
                .warnings()).isEmpty();
        assertThat(PolicyFiles.read(Path.of("../config/clearance.example.yml")).warnings()).as("the example states them all").isEmpty();
        assertThat(PolicyFiles.read(Path.of("../config/clearance.playground.yml")).warnings()).isEmpty();
    }

    @Test
    void maxTotalDurationIsReadDefaultsToTwiceTheMaxAndIsNeverLess() {
        ClearanceConfig c = PolicyFiles.parse("p.yml", VALID_HEAD
                + "default-policy: {max-duration: 8h, max-total-duration: 3d}\n");
        assertThat(c.defaultPolicy().maxTotalDuration()).isEqualTo(AccessDuration.parse("3d"));
        assertThat(PolicyFiles.parse("p.yml", VALID_HEAD + "default-policy: {max-duration: 8h}\n").defaultPolicy()
                .maxTotalDuration()).isEqualTo(AccessDuration.parse("16h"));
        assertThat(PolicyFiles.parse("p.yml", VALID_HEAD + "default-policy: {max-duration: until-revoked, "
                + "max-total-duration: until-revoked}\n").defaultPolicy().maxTotalDuration().isUntilRevoked()).isTrue();
        assertProblem(VALID_HEAD + "default-policy: {max-duration: 8h, max-total-duration: 4h}\n",
                "p.yml:12: default-policy.max-total-duration: 4h is shorter than max-duration (8h); write at least 8h");
        assertProblem(VALID_HEAD + "default-policy: {max-duration: 8h, max-total-duration: until-revoked}\n",
                "default-policy.max-total-duration: until-revoked is allowed only when max-duration is until-revoked");
        assertProblem(VALID_HEAD + "default-policy: {max-duration: 8h, max-total-duration: later}\n",
                "default-policy.max-total-duration: bad duration: 'later' is not a duration");
        assertProblem(VALID_HEAD + "default-policy: {max-duration: 999999d}\n",
                "default-policy.max-duration: bad duration: '999999d' is too long: a duration may be at most 366 days");
        assertProblem(VALID_HEAD + "default-policy: {max-duration: PT9223372036854775807S}\n",
                "default-policy.max-duration: bad duration: 'PT9223372036854775807S' is too long");
        assertProblem(VALID_HEAD + """
                policies:
                  - name: p
                    match: {resource: "s3:*"}
                    max-duration: 1d
                    max-total-duration: 12h
                    steps:
                      - approvers: [a@example.com]
                """, "p.yml:16: policies[p].max-total-duration: 12h is shorter than max-duration (1d)");
    }

    @Test
    void validateConfigPrintsTheWarnings() throws Exception {
        Path quiet = Files.createTempFile("policy", ".yml");
        Files.writeString(quiet, VALID_HEAD + "default-policy: {}\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int ok = dev.clearance.app.ClearanceApplicationAccess.validate(new String[]{"validate-config", quiet.toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(ok).as("a warning is no failure").isZero();
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("WARN " + quiet + ":12: default-policy.max-duration: not stated");
    }

    private static void assertProblem(String yaml, String expected) {
        assertThatThrownBy(() -> PolicyFiles.parse("p.yml", yaml)).isInstanceOf(PolicyFileException.class)
                .hasMessageContaining(expected);
    }

    @Test
    void aDisabledServiceCannotAlsoBeProtectedAndEachDetectionProblemNamesItsLine() {
        String yaml = VALID_HEAD + """
                default-policy: {max-duration: 1d}
                detection:
                  protected: ["sagemaker:*", "s3:Delete*"]
                  disabled-services: [sagemaker]
                  identities: {"arn:aws:iam::123456789012:user/bob": not-an-email}
                """;
        assertThatThrownBy(() -> PolicyFiles.parse("detect.yml", yaml))
                .isInstanceOf(PolicyFileException.class)
                .hasMessageContaining("detection.disabled-services: 'sagemaker' is disabled, yet detection.protected lists sagemaker:*")
                .hasMessageContaining("detection.identities[arn:aws:iam::123456789012:user/bob]: 'not-an-email' is not an email address");
    }

    @Test
    void justificationOffIsReadAndAnythingElseIsAProblem() {
        dev.clearance.core.policy.ClearanceConfig c = PolicyFiles.parse("j.yml", VALID_HEAD + """
                default-policy: {max-duration: 1d, justification: "off"}
                """);
        assertThat(c.defaultPolicy().justificationRequired()).isFalse();
        assertThatThrownBy(() -> PolicyFiles.parse("j.yml", VALID_HEAD + """
                default-policy: {max-duration: 1d, justification: maybe}
                """)).hasMessageContaining("default-policy.justification: write required");
    }
}
