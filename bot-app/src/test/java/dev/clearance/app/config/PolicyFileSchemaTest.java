package dev.clearance.app.config;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Keeps config/clearance.schema.json (what editors validate and complete with) and PolicyFileLoader (what the
 * application enforces) in step: every shipped policy file passes both, and each broken file fails both.
 */
class PolicyFileSchemaTest {
    private static final Path SCHEMA = Path.of("../config/clearance.schema.json");
    private static final List<Path> SHIPPED = List.of(Path.of("../config/clearance.example.yml"),
            Path.of("../config/clearance.playground.yml"), Path.of("src/test/resources/process/short-intervals.yml"),
            Path.of("src/test/resources/aws/clearance-aws.yml"));

    private static final String VALID = """
            intervals: {pending-window: 24h, grant-attempts: 5, expiry-notice: 10m}
            unknown-accounts: refuse
            limits: {new-request-after-denial: 2h, open-requests-per-person: 5, requests-per-hour-per-person: 0}
            users:
              - {email: a@example.com, name: A, channels: [slack]}
            groups:
              sec: [a@example.com]
            scopes:
              - path: org
                admins: [a@example.com]
              - path: org/prod
                approvers: [group:sec]
                accounts: ["111"]
                approval-channels: {slack: C0123ABCD, teams: "19:abc@thread.tacv2"}
            policies:
              - name: p
                match: {resource: "s3:*"}
                max-duration: 8h
                self-approval: forbidden
                steps:
                  - {name: Review, approvers: [group:sec, scope-approvers], approvals: 1}
            default-policy: {max-duration: 1d}
            """;

    private final Schema schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
            .getSchema(read(SCHEMA), InputFormat.JSON);

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<Error> schemaErrors(String yaml) {
        return schema.validate(yaml, InputFormat.YAML);
    }

    @Test
    void everyShippedPolicyFilePassesTheSchemaAndTheLoaderAndNamesTheSchema() {
        for (Path file : SHIPPED) {
            assertThat(schemaErrors(read(file))).as(file.toString()).isEmpty();
            PolicyFiles.load(file);
        }
        for (Path example : SHIPPED.subList(0, 2)) {
            assertThat(read(example)).as(example + " tells editors where its schema is")
                    .startsWith("# yaml-language-server: $schema=./clearance.schema.json\n");
        }
        assertThat(schemaErrors(VALID)).isEmpty();
        PolicyFiles.parse("valid.yml", VALID);
    }

    @Test
    void aPermissionSetIsAssignedOnAnAccountSoScopeAccountsMustBeAwsAccountIds() {
        // the schema cannot see across sections; the loader can
        String granting = VALID.replace("    max-duration: 8h\n", "    max-duration: 8h\n    grant: {permission-set: \""
                + "arn:aws:sso:::permissionSet/ssoins-1111222233334444/ps-aaaabbbbccccdddd\"}\n");
        assertThatThrownBy(() -> PolicyFiles.parse("short-account.yml", granting))
                .isInstanceOf(PolicyFileException.class).hasMessageContaining("scopes[org/prod].accounts")
                .hasMessageContaining("'111' is not an AWS account id (12 digits)");
    }

    @Test
    void eachBrokenFileFailsBothTheSchemaAndTheLoader() {
        Map<String, String> broken = new LinkedHashMap<>();
        broken.put("unknown top-level key", VALID + "colour: blue\n");
        broken.put("scopes not a list", VALID.replace("scopes:\n  - path: org\n    admins: [a@example.com]\n  - path: org/prod",
                "scopes:\n  path: org\n  admins: [a@example.com]\n  prod:"));
        broken.put("unknown key in a scope", VALID.replace("accounts: [\"111\"]", "accounts: [\"111\"]\n    owner: me"));
        broken.put("bad interval", VALID.replace("pending-window: 24h", "pending-window: soon"));
        broken.put("interval without unit", VALID.replace("pending-window: 24h", "pending-window: 24"));
        broken.put("zero interval", VALID.replace("pending-window: 24h", "pending-window: 0h"));
        broken.put("bad expiry notice", VALID.replace("expiry-notice: 10m", "expiry-notice: later"));
        broken.put("grant attempts out of range", VALID.replace("grant-attempts: 5", "grant-attempts: 0"));
        broken.put("bad max duration", VALID.replace("max-duration: 8h", "max-duration: forever"));
        broken.put("max duration over 366 days", VALID.replace("max-duration: 8h", "max-duration: 999999d"));
        broken.put("max duration of 367 days", VALID.replace("max-duration: 8h", "max-duration: 367d"));
        broken.put("max duration in hours over 366 days", VALID.replace("max-duration: 8h", "max-duration: 8785h"));
        broken.put("max duration in minutes over 366 days", VALID.replace("max-duration: 8h", "max-duration: 527041m"));
        broken.put("bad max total duration", VALID.replace("max-duration: 8h", "max-duration: 8h\n    max-total-duration: forever"));
        broken.put("max total duration over 366 days", VALID.replace("default-policy: {max-duration: 1d}",
                "default-policy: {max-duration: 1d, max-total-duration: 999999d}"));
        broken.put("unknown key beside max-total-duration", VALID.replace("default-policy: {max-duration: 1d}",
                "default-policy: {max-duration: 1d, max-total: 2d}"));
        for (String total : List.of("max-duration: 8h\n    max-total-duration: 3d", "max-duration: 366d\n    max-total-duration: 366d",
                "max-duration: until-revoked\n    max-total-duration: until-revoked", "max-duration: 527040m", "max-duration: 8784h")) {
            String yaml = VALID.replace("max-duration: 8h", total);
            assertThat(schemaErrors(yaml)).as(total).isEmpty();
            PolicyFiles.parse("total.yml", yaml);
        }
        broken.put("bad email", VALID.replace("{email: a@example.com,", "{email: not-an-email,"));
        broken.put("unknown key in a user", VALID.replace("name: A,", "name: A, phone: 1,"));
        broken.put("unknown chat platform", VALID.replace("channels: [slack]", "channels: [pager]"));
        broken.put("bad group name", VALID.replace("  sec: [a@example.com]", "  \"-sec\": [a@example.com]"));
        broken.put("bad Slack channel", VALID.replace("slack: C0123ABCD", "slack: general"));
        broken.put("Teams channel with a thread suffix", VALID.replace("19:abc@thread.tacv2", "19:abc@thread.tacv2;messageid=1"));
        broken.put("unknown approval platform", VALID.replace("slack: C0123ABCD,", "matrix: x,"));
        broken.put("bad self-approval", VALID.replace("self-approval: forbidden", "self-approval: sometimes"));
        broken.put("zero approvals", VALID.replace("approvals: 1", "approvals: 0"));
        broken.put("no steps", VALID.replace("    steps:\n      - {name: Review, approvers: [group:sec, scope-approvers], approvals: 1}\n",
                "    steps: []\n"));
        broken.put("policy without match", VALID.replace("    match: {resource: \"s3:*\"}\n", ""));
        broken.put("empty match", VALID.replace("match: {resource: \"s3:*\"}", "match: {}"));
        broken.put("unknown key in a step", VALID.replace("approvals: 1}", "approvals: 1, quorum: 2}"));
        broken.put("scope without path", VALID.replace("  - path: org/prod\n", "  - approvers: [a@example.com]\n"));
        broken.put("bad scope path", VALID.replace("path: org/prod", "path: org//prod"));
        broken.put("approver that is neither email nor group", VALID.replace("approvers: [group:sec]", "approvers: [sec]"));
        broken.put("unknown key in default-policy", VALID.replace("default-policy: {max-duration: 1d}",
                "default-policy: {max-duration: 1d, steps: []}"));
        String granting = VALID.replace("    max-duration: 8h\n", "    max-duration: 8h\n    grant: {permission-set: \""
                + "arn:aws:sso:::permissionSet/ssoins-1111222233334444/ps-aaaabbbbccccdddd\"}\n");
        assertThat(schemaErrors(granting.replace("\"111\"", "\"111122223333\""))).as("a policy granting a permission set").isEmpty();
        PolicyFiles.parse("granting.yml", granting.replace("\"111\"", "\"111122223333\""));
        broken.put("not a permission set ARN", VALID.replace("    max-duration: 8h\n", "    max-duration: 8h\n"
                + "    grant: {permission-set: \"arn:aws:iam::111122223333:role/Admin\"}\n"));
        broken.put("bad justification", VALID.replace("max-duration: 8h", "max-duration: 8h\n    justification: sometimes"));
        broken.put("unknown key in detection", VALID + "detection: {protected: [\"s3:Delete*\"], colour: blue}\n");
        broken.put("protected not an IAM action", VALID + "detection: {protected: [\"DeleteBucket\"]}\n");
        broken.put("disabled service not a prefix", VALID + "detection: {disabled-services: [\"Sage Maker\"]}\n");
        broken.put("bad detection cooldown", VALID + "detection: {new-request-after-denial: soon}\n");
        broken.put("no denial codes", VALID + "detection: {denial-codes: []}\n");
        broken.put("identity not a principal ARN", VALID + "detection: {identities: {bob: bob@example.com}}\n");
        broken.put("identity not an email", VALID + "detection: {identities: {\"arn:aws:iam::123456789012:user/bob\": bob}}\n");
        for (String ok : List.of("max-duration: 8h\n    justification: off", "max-duration: 8h\n    justification: required")) {
            String yaml = VALID.replace("max-duration: 8h", ok);
            assertThat(schemaErrors(yaml)).as(ok).isEmpty();
            PolicyFiles.parse("justification.yml", yaml);
        }
        String detecting = VALID + "detection:\n  protected: [\"s3:Delete*\", \"iam:*\"]\n  disabled-services: [sagemaker]\n"
                + "  denial-codes: [\"AccessDenied*\", \"*UnauthorizedOperation\"]\n  new-request-after-denial: 0\n"
                + "  identities: {\"arn:aws:iam::123456789012:user/bob\": bob@example.com}\n";
        assertThat(schemaErrors(detecting)).isEmpty();
        assertThat(PolicyFiles.parse("detecting.yml", detecting).detection().identities()).hasSize(1);
        broken.put("unknown key in a grant", VALID.replace("default-policy: {max-duration: 1d}",
                "default-policy: {max-duration: 1d, grant: {role: admin}}"));
        broken.put("account with a space", VALID.replace("accounts: [\"111\"]", "accounts: [\"111 222\"]"));
        broken.put("account pattern", VALID.replace("accounts: [\"111\"]", "accounts: [\"11*\"]"));
        broken.put("unknown unknown-accounts", VALID.replace("unknown-accounts: refuse", "unknown-accounts: allow"));
        broken.put("unknown key in limits", VALID.replace("requests-per-hour-per-person: 0}", "requests-per-hour-per-person: 0, per-day: 3}"));
        broken.put("negative limit", VALID.replace("open-requests-per-person: 5", "open-requests-per-person: -5"));
        broken.put("limit not a number", VALID.replace("open-requests-per-person: 5", "open-requests-per-person: lots"));
        broken.put("bad cooldown", VALID.replace("new-request-after-denial: 2h", "new-request-after-denial: later"));
        broken.put("limits not a mapping", VALID.replace("limits: {new-request-after-denial: 2h, open-requests-per-person: 5, requests-per-hour-per-person: 0}", "limits: 5"));
        for (String zero : List.of("new-request-after-denial: 0", "new-request-after-denial: \"0\"", "open-requests-per-person: \"7\"")) {
            String yaml = VALID.replace(zero.startsWith("new") ? "new-request-after-denial: 2h" : "open-requests-per-person: 5", zero);
            assertThat(schemaErrors(yaml)).as(zero).isEmpty();
            PolicyFiles.parse("zero.yml", yaml);
        }
        broken.forEach((what, yaml) -> {
            assertThat(schemaErrors(yaml)).as("schema on: " + what).isNotEmpty();
            assertThatThrownBy(() -> PolicyFiles.parse(what + ".yml", yaml)).as("loader on: " + what)
                    .isInstanceOf(PolicyFileException.class);
        });
    }
}
