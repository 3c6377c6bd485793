package dev.clearance.app;

import dev.clearance.app.support.ApiClient;
import dev.clearance.app.support.AppTestBase;
import dev.clearance.app.support.HostileText;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A resource that looks like {@code s3:DeleteBucket} on the approver's card but is another text escapes the
 * {@code prod-destructive} policy ({@code s3:Delete*}: two security reviewers, then the owner) to the default one (one
 * approver), and a receiver that trims or normalises it (JavaScript's {@code trim()} removes U+FEFF and U+00A0) grants
 * the guarded action. Found by the penetration test of issue 19: each of these was filed with 201 under "default".
 */
class ResourceLookAlikesApiTest extends AppTestBase {
    private static final String PROD = "123456789012";
    @Autowired
    JdbcClient jdbc;

    private long total() {
        return jdbc.sql("SELECT COUNT(*) FROM access_request").query(Long.class).single();
    }

    private ApiClient.Response intake(String resource) {
        return api.post("/api/v1/requests", "{\"requester\":\"alice@example.com\",\"resource\":" + HostileText.json(resource)
                + ",\"account\":\"" + PROD + "\",\"justification\":\"INC-1\"}");
    }

    private ApiClient.Response resolve(String resource) {
        return api.get("/api/v1/policies/resolve?requester=alice%40example.com&resource="
                + URLEncoder.encode(resource, StandardCharsets.UTF_8) + "&account=" + PROD);
    }

    @Test
    void aResourceThatLooksLikeAGuardedActionCannotReachAWeakerPolicy() {
        // the guarded action, in any ASCII case (as IAM reads it), stays under the strict policy
        for (String exact : List.of("s3:DeleteBucket", "S3:DELETEBUCKET", "s3:deletebucket")) {
            assertThat(resolve(exact).text("policy")).as(exact).isEqualTo("prod-destructive");
        }
        long before = total();
        for (String lookAlike : List.of(
                "\u200bs3:DeleteBucket",      // zero-width space
                "s3\u200b:DeleteBucket",
                "\ufeffs3:DeleteBucket",      // byte order mark: JavaScript's trim() removes it
                "\u00a0s3:DeleteBucket",      // no-break space: so does trim(), and Python's strip()
                "s3:Delete\u00adBucket",      // soft hyphen
                "s3:Delete\u2060Bucket",      // word joiner
                "\u202etekcuBeteleD:3s",      // right-to-left override: shown as s3:DeleteBucket
                "s3\uff1aDeleteBucket",       // full-width colon: NFKC makes it s3:DeleteBucket
                "\uff53\uff13:DeleteBucket",  // full-width letters
                "s3:Delete\uff0a",            // full-width asterisk: NFKC makes it a pattern
                "\u04553:DeleteBucket",       // Cyrillic dze, drawn as s
                "s3:D\u0435leteBucket",       // Cyrillic ie, drawn as e
                "s3:Delete\tBucket",
                "s3:Delete\u007fBucket",
                "s3:Delete\u009bBucket")) {
            String shown = HostileText.json(lookAlike);
            ApiClient.Response r = intake(lookAlike);
            assertThat(r.status()).as(shown + " -> " + r.raw()).isEqualTo(400);
            assertThat(r.text("field")).as(shown).isEqualTo("resource");
            assertThat(r.text("detail")).as(shown).contains("one exact action or name");
            ApiClient.Response dryRun = resolve(lookAlike);
            assertThat(dryRun.status()).as("the dry run says the same: " + shown + " -> " + dryRun.raw()).isEqualTo(400);
            assertThat(dryRun.text("field")).as(shown).isEqualTo("resource");
        }
        assertThat(total()).as("nothing stored").isEqualTo(before);
    }

    @Test
    void aNameInOneScriptIsStillAccepted() {
        for (String name : List.of("dataset:café-exports", "группа:аудит", "team_a/bucket-01")) {
            ApiClient.Response r = api.post("/api/v1/requests", "{\"requester\":\"alice@example.com\",\"resource\":"
                    + HostileText.json(name) + ",\"account\":\"210987654321\"}");
            assertThat(r.status()).as(name + " -> " + r.raw()).isEqualTo(201);
            assertThat(r.text("resource")).isEqualTo(name);
        }
    }
}
