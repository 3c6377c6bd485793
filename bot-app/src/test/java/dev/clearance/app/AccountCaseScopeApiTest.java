package dev.clearance.app;

import dev.clearance.app.config.PolicyFileException;
import dev.clearance.app.config.PolicyFiles;
import dev.clearance.app.support.ApiClient;
import dev.clearance.app.support.AppTestBase;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The scope follows from the account whatever its case: the policies' account globs and the denial cooldown ignore
 * case, so a declared account must too. Found by the penetration test of issue 19: {@code PROD-MAIN} (org/prod
 * declares {@code prod-main}) was filed under the root scope, past org/prod's approvers and admins, who then could
 * neither see nor revoke it, while the same policies applied.
 */
@TestPropertySource(properties = "clearance.config=src/test/resources/policy/clearance-named-accounts.yml")
class AccountCaseScopeApiTest extends AppTestBase {

    @Test
    void anAccountInAnotherCaseBelongsToTheScopeThatDeclaresIt() {
        for (String account : List.of("prod-main", "PROD-MAIN", "Prod-Main")) {
            ApiClient.Response dryRun = api.get("/api/v1/policies/resolve?requester=alice%40example.com"
                    + "&resource=logs:GetLogEvents&account=" + account);
            assertThat(dryRun.status()).as(dryRun.raw()).isEqualTo(200);
            assertThat(dryRun.text("scope")).as("dry run for " + account).isEqualTo("org/prod");

            ApiClient.Response r = api.post("/api/v1/requests", "{\"requester\":\"alice@example.com\","
                    + "\"resource\":\"logs:GetLogEvents\",\"account\":\"" + account + "\",\"justification\":\"INC-7\"}");
            assertThat(r.status()).as(r.raw()).isIn(200, 201);
            assertThat(r.text("scope")).as("intake for " + account).isEqualTo("org/prod");

            ApiClient.Response root = api.post("/api/v1/requests", "{\"requester\":\"alice@example.com\","
                    + "\"resource\":\"logs:FilterLogEvents\",\"account\":\"" + account + "\",\"scope\":\"org\"}");
            assertThat(root.status()).as("the root scope asked for " + account + ": " + root.raw()).isEqualTo(400);
            assertThat(root.text("field")).isEqualTo("scope");
        }
    }

    @Test
    void twoScopesCannotDeclareOneAccountInTwoCases() throws Exception {
        String yaml = Files.readString(Path.of("src/test/resources/policy/clearance-named-accounts.yml"))
                .replace("accounts: [\"210987654321\"]", "accounts: [\"210987654321\", \"Prod-Main\"]");
        assertThatThrownBy(() -> PolicyFiles.parse("policies.yml", yaml)).isInstanceOf(PolicyFileException.class)
                .hasMessageContaining("account Prod-Main is already declared in scope org/prod");
    }
}
