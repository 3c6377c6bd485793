package dev.clearance.app.config;

import dev.clearance.core.policy.ClearanceConfig;
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
        ClearanceConfig c = PolicyFileLoader.load(Path.of("../config/clearance.example.yml"));
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
        assertThatThrownBy(() -> PolicyFileLoader.parse("policies.yml", yaml))
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
        ClearanceConfig c = PolicyFileLoader.parse("policies.yml", VALID_HEAD.replace("accounts: [\"111\"]",
                "accounts: [\"111\"]\n    approval-channels: {teams: \"19:abc123@thread.tacv2\", slack: C0123ABCD}")
                + "intervals: {expiry-notice: 0}\n");
        assertThat(c.tree().approvalChannels(dev.clearance.core.model.ScopePath.of("org/prod")))
                .containsEntry("teams", "19:abc123@thread.tacv2").containsEntry("slack", "C0123ABCD");
        assertThat(c.intervals().expiryNotice()).as("0 turns the notice off").isZero();
        assertThat(PolicyFileLoader.parse("policies.yml", VALID_HEAD).intervals().expiryNotice()).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void unknownAccountsAndLimitsAreReadWithTheirDefaults() {
        ClearanceConfig defaults = PolicyFileLoader.parse("policies.yml", VALID_HEAD);
        assertThat(defaults.unknownAccounts()).isEqualTo(UnknownAccounts.ROOT);
        assertThat(defaults.limits()).isEqualTo(new Limits(Duration.ofHours(1), 10, 20));
        ClearanceConfig c = PolicyFileLoader.parse("policies.yml", VALID_HEAD + """
                unknown-accounts: refuse
                limits: {new-request-after-denial: 30m, open-requests-per-person: 3, requests-per-hour-per-person: 0}
                """);
        assertThat(c.unknownAccounts()).isEqualTo(UnknownAccounts.REFUSE);
        assertThat(c.limits()).isEqualTo(new Limits(Duration.ofMinutes(30), 3, 0));
        assertThat(PolicyFileLoader.parse("p.yml", VALID_HEAD + "limits: {new-request-after-denial: 0}\n").limits()
                .newRequestAfterDenial()).as("0 turns the cooldown off").isZero();
        ClearanceConfig shipped = PolicyFileLoader.load(Path.of("../config/clearance.example.yml"));
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
            PolicyFileLoader.load(file);
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

    private static void assertProblem(String yaml, String expected) {
        assertThatThrownBy(() -> PolicyFileLoader.parse("p.yml", yaml)).isInstanceOf(PolicyFileException.class)
                .hasMessageContaining(expected);
    }
}
