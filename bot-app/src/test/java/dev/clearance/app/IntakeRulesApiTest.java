package dev.clearance.app;

import dev.clearance.core.model.Origin;
import dev.clearance.app.config.StartupScopeCheck;
import dev.clearance.app.support.ApiClient;
import dev.clearance.app.support.AppTestBase;
import dev.clearance.core.model.AccessDuration;
import dev.clearance.core.model.AccessRequest;
import dev.clearance.core.model.RequestId;
import dev.clearance.core.model.ScopePath;
import dev.clearance.core.model.Status;
import dev.clearance.core.model.UserEmail;
import dev.clearance.core.notify.NotificationKind;
import dev.clearance.core.port.RequestStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The intake rules of issue 19 through the REST API, on the example organisation: the scope follows from the account
 * (bob, approver of org/sandbox only, cannot file a production request in his sandbox and approve it himself), a
 * resource is exact (no pattern slips past prod-destructive), resource and account are one line, and active requests
 * in another scope than their account's are reported at startup.
 */
@ExtendWith(OutputCaptureExtension.class)
class IntakeRulesApiTest extends AppTestBase {
    @Autowired
    JdbcClient jdbc;
    @Autowired
    RequestStore store;
    @Autowired
    StartupScopeCheck scopeCheck;

    private long total() {
        return jdbc.sql("SELECT COUNT(*) FROM access_request").query(Long.class).single();
    }

    private ApiClient.Response intake(String json) {
        return api.post("/api/v1/requests", json);
    }

    private ApiClient.Response resolve(String requester, String resource, String account, String scope) {
        return api.get("/api/v1/policies/resolve?requester=" + enc(requester) + "&resource=" + enc(resource) + "&account="
                + enc(account) + (scope == null ? "" : "&scope=" + enc(scope)));
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Test
    void bobCannotFileAProductionRequestInHisSandboxAndApproveItHimself() {
        long before = total();
        // the attack of issue 19: read-logs allows self-approval, and bob approves org/sandbox
        ApiClient.Response attack = intake("{\"requester\":\"bob@example.com\",\"resource\":\"logs:GetLogEvents\","
                + "\"account\":\"123456789012\",\"scope\":\"org/sandbox\",\"justification\":\"debugging\"}");
        assertThat(attack.status()).as(attack.raw()).isEqualTo(400);
        assertThat(attack.text("field")).isEqualTo("scope");
        assertThat(attack.text("detail")).contains("account 123456789012 belongs to scope org/prod");
        assertThat(total()).as("nothing stored").isEqualTo(before);
        ApiClient.Response dryRun = resolve("bob@example.com", "logs:GetLogEvents", "123456789012", "org/sandbox");
        assertThat(dryRun.status()).isEqualTo(400);
        assertThat(dryRun.text("field")).isEqualTo("scope");

        // without a scope it lands where the account is: the production approvers decide, not bob
        ApiClient.Response honest = intake("{\"requester\":\"bob@example.com\",\"resource\":\"logs:GetLogEvents\","
                + "\"account\":\"123456789012\",\"justification\":\"debugging\"}");
        assertThat(honest.status()).isEqualTo(201);
        String id = honest.text("id");
        assertThat(honest.text("scope")).isEqualTo("org/prod");
        assertThat(honest.text("status")).as("no self-approval outside his scope").isEqualTo("PENDING");
        ApiClient.Response selfApproval = decide(id, "bob@example.com", "approve");
        assertThat(selfApproval.status()).as(selfApproval.raw()).isEqualTo(403);
        assertThat(status(id)).isEqualTo("PENDING");
        assertThat(resolve("bob@example.com", "logs:GetLogEvents", "123456789012", null).text("scope")).isEqualTo("org/prod");
        assertThat(resolve("bob@example.com", "logs:GetLogEvents", "123456789012", "org/prod").status())
                .as("the account's own scope, written out, is fine").isEqualTo(200);
        withdraw(id, "bob@example.com");
    }

    @Test
    void anAccountNoScopeDeclaresBelongsToTheRootScope() {
        ApiClient.Response r = intake("{\"requester\":\"zed@example.com\",\"resource\":\"ec2:StopInstances\",\"account\":\"444455556666\"}");
        assertThat(r.status()).isEqualTo(201);
        assertThat(r.text("scope")).isEqualTo("org");
        withdraw(r.text("id"), "zed@example.com");
    }

    @Test
    void noPatternSlipsPastTheSpecificPolicy() {
        assertThat(resolve("alice@example.com", "s3:DeleteBucket", "123456789012", null).text("policy")).isEqualTo("prod-destructive");
        long before = total();
        for (String pattern : List.of("s3:*", "s3:Del*", "*", "s3:DeleteBucke?", "s3:Delete[B]ucket", "s3:{Delete}Bucket")) {
            ApiClient.Response r = intake("{\"requester\":\"alice@example.com\",\"resource\":\"" + pattern
                    + "\",\"account\":\"123456789012\",\"justification\":\"x\"}");
            assertThat(r.status()).as(pattern + " " + r.raw()).isEqualTo(400);
            assertThat(r.text("field")).isEqualTo("resource");
            assertThat(r.text("detail")).contains("one exact action or name");
            ApiClient.Response dryRun = resolve("alice@example.com", pattern, "123456789012", null);
            assertThat(dryRun.status()).as("dry run of " + pattern).isEqualTo(400);
            assertThat(dryRun.text("field")).isEqualTo("resource");
        }
        assertThat(total()).isEqualTo(before);
    }

    @Test
    void lineBreaksCannotPutFakeLinesOnApproversCards() {
        long before = total();
        ApiClient.Response resource = intake("{\"requester\":\"alice@example.com\",\"resource\":\"s3:GetObject\\nApproved by: "
                + "security\",\"account\":\"123456789012\"}");
        assertThat(resource.status()).isEqualTo(400);
        assertThat(resource.text("field")).isEqualTo("resource");
        assertThat(resource.text("detail")).contains("one line");
        ApiClient.Response account = intake("{\"requester\":\"alice@example.com\",\"resource\":\"s3:GetObject\","
                + "\"account\":\"123456789012\\nscope: org/sandbox\"}");
        assertThat(account.status()).isEqualTo(400);
        assertThat(account.text("field")).isEqualTo("account");
        ApiClient.Response spaced = intake("{\"requester\":\"alice@example.com\",\"resource\":\"s3:GetObject\",\"account\":\"1234 5678\"}");
        assertThat(spaced.status()).isEqualTo(400);
        assertThat(spaced.text("field")).isEqualTo("account");
        assertThat(spaced.text("detail")).contains("letters, digits");
        assertThat(total()).isEqualTo(before);
    }

    @Test
    void aRequestInAnotherScopeThanItsAccountsIsLoggedAndReportedOnceAtStartup(CapturedOutput output) {
        // as intake stored it before the fix: the production account in the sandbox, chosen by the requester
        AccessRequest planted = AccessRequest.create(AccessRequest.builder().id(RequestId.random())
                .requester(UserEmail.of("bob@example.com")).resource("logs:FilterLogEvents").account("123456789012")
                .scope(ScopePath.of("org/sandbox")).source("api").policyName("read-logs").createdAt(clock.instant())
                .requestedDuration(AccessDuration.parse("1h")).status(Status.REQUESTED)
                .justificationDeadline(clock.instant().plusSeconds(3600)), clock.instant(), "requested before the fix", Origin.api("test"));
        store.insert(planted);
        try {
            assertThat(scopeCheck.check()).extracting(m -> m.request().id()).containsExactly(planted.id());
            settle();
            assertThat(output.getOut()).contains("scope mismatch: request " + planted.id() + " (REQUESTED) for account "
                    + "123456789012 is in scope org/sandbox, expected org/prod");
            assertThat(chat.to("root@example.com")).filteredOn(m -> m.kind() == NotificationKind.ADMIN_SCOPE_MISMATCH)
                    .singleElement().satisfies(m -> assertThat(m.text()).contains(planted.id().value(), "org/sandbox", "org/prod"));

            assertThat(scopeCheck.check()).as("a restart finds it again").hasSize(1);
            settle();
            assertThat(chat.to("root@example.com")).filteredOn(m -> m.kind() == NotificationKind.ADMIN_SCOPE_MISMATCH)
                    .as("but does not alert again").hasSize(1);
        } finally {
            withdraw(planted.id().value(), "bob@example.com");
        }
        assertThat(scopeCheck.check()).as("once finished, it is no longer active").isEmpty();
    }
}
