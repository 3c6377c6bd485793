package dev.clearance.app.security;

import dev.clearance.app.config.ClearanceProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The token settings: named tokens with permissions, bare tokens, and bad entries refused naming the setting. */
@ExtendWith(OutputCaptureExtension.class)
class ApiTokensTest {

    @Test
    void namedTokensCarryTheirPermissionsAndBareOnesEverything() {
        ApiTokens tokens = ApiTokens.parse(List.of("detector:intake:detector-secret-0123456789",
                "ops:read+decide:ops-secret-0123456789 legacy-secret-0123456789"), "# a comment\nscraper:metrics:a:b:c-0123456789\n");
        assertThat(tokens.all()).extracting(ApiToken::name).containsExactly("detector", "ops", "unnamed-1", "scraper");
        assertThat(tokens.match("detector-secret-0123456789")).get().extracting(ApiToken::permissions)
                .isEqualTo(EnumSet.of(ApiPermission.INTAKE));
        assertThat(tokens.match("ops-secret-0123456789").orElseThrow().permissions())
                .containsExactlyInAnyOrder(ApiPermission.READ, ApiPermission.DECIDE);
        assertThat(tokens.match("legacy-secret-0123456789").orElseThrow().permissions()).containsExactlyInAnyOrder(ApiPermission.values());
        assertThat(tokens.match("legacy-secret-0123456789").orElseThrow().bare()).isTrue();
        // a secret may hold colons: everything after the second colon is the secret
        assertThat(tokens.match("a:b:c-0123456789").orElseThrow().name()).isEqualTo("scraper");
        assertThat(tokens.match("detector")).isEmpty();
        assertThat(tokens.match("")).isEmpty();
        assertThat(ApiTokens.parse(List.of(), null).match("anything")).isEmpty();
    }

    @Test
    void badEntriesAreRefusedNamingTheSettingNeverTheSecret() {
        assertThatThrownBy(() -> ApiTokens.parse(List.of("ci:intake+approve:sekrit-value-1"), null))
                .hasMessageContaining("CLEARANCE_API_TOKENS").hasMessageContaining("entry 1")
                .hasMessageContaining("'approve'").hasMessageContaining("intake, read, decide, admin, metrics")
                .hasMessageNotContaining("sekrit-value-1");
        assertThatThrownBy(() -> ApiTokens.parse(List.of(":read:sekrit-value-2"), null))
                .hasMessageContaining("CLEARANCE_API_TOKENS").hasMessageContaining("no name").hasMessageNotContaining("sekrit");
        assertThatThrownBy(() -> ApiTokens.parse(List.of("a:read:sekrit-value-3", "a:intake:sekrit-value-4"), null))
                .hasMessageContaining("entry 2").hasMessageContaining("used twice").hasMessageNotContaining("sekrit");
        assertThatThrownBy(() -> ApiTokens.parse(List.of("a:read:same-sekrit", "b:intake:same-sekrit"), null))
                .hasMessageContaining("same secret").hasMessageNotContaining("same-sekrit");
        assertThatThrownBy(() -> ApiTokens.parse(List.of("a:read:"), null)).hasMessageContaining("no secret");
        assertThatThrownBy(() -> ApiTokens.parse(List.of("a:read"), null)).hasMessageContaining("name:permissions:secret");
        assertThatThrownBy(() -> ApiTokens.parse(List.of("a:read:"), null)).hasMessageContaining("no secret");
        assertThatThrownBy(() -> ApiTokens.parse(List.of("a::sekrit-value-5"), null)).hasMessageContaining("unknown permission ''");
        assertThatThrownBy(() -> ApiTokens.parse(List.of(), "ok:read:sekrit-value-6\nbad/name:read:sekrit-value-7"))
                .hasMessageContaining("CLEARANCE_API_TOKENS_FILE").hasMessageContaining("line 2").hasMessageNotContaining("sekrit");
    }

    @Test
    void aBareTokenIsAnnouncedAsAllPowerfulWithoutItsSecret(CapturedOutput output, @org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        Path file = dir.resolve("tokens");
        Files.writeString(file, "detector:intake:file-secret-0123456789\n");
        ApiTokens tokens = ApiSecurityConfiguration.load(
                new ClearanceProperties.Api(List.of("bare-secret-0123456789abcdef"), file.toString()));
        assertThat(tokens.all()).extracting(ApiToken::name).containsExactly("unnamed-1", "detector");
        assertThat(output.getOut()).contains("API token unnamed-1 is a bare token").contains("all-powerful")
                .contains("API token detector may: intake")
                .doesNotContain("bare-secret-0123456789abcdef").doesNotContain("file-secret-0123456789");
    }

    @Test
    void anUnreadableFileIsRefusedNamingTheSetting() {
        assertThatThrownBy(() -> ApiSecurityConfiguration.load(new ClearanceProperties.Api(List.of(), "/nonexistent/clearance-tokens")))
                .hasMessageContaining("CLEARANCE_API_TOKENS_FILE").hasMessageContaining("/nonexistent/clearance-tokens");
    }

    @Test
    void theAuthenticatedNameIsTheTokensNameAndApiPrincipalReadsIt() {
        ApiTokens tokens = ApiTokens.parse(List.of("detector:intake:detector-secret-0123456789"), null);
        ApiTokenAuthenticationProvider provider = new ApiTokenAuthenticationProvider(tokens);
        Authentication a = provider.authenticate(ApiTokenAuthentication.presented("detector-secret-0123456789"));
        assertThat(a.getName()).isEqualTo("detector");
        assertThat(a.isAuthenticated()).isTrue();
        assertThat(a.getAuthorities()).extracting(GrantedAuthority::getAuthority).containsExactly("api:intake");
        assertThatThrownBy(() -> provider.authenticate(ApiTokenAuthentication.presented("detector-secret-012345678")))
                .isInstanceOf(BadCredentialsException.class);
        try {
            SecurityContextHolder.getContext().setAuthentication(a);
            assertThat(ApiPrincipal.name()).isEqualTo("detector");
        } finally {
            SecurityContextHolder.clearContext();
        }
        assertThat(ApiPrincipal.current()).isEmpty();
    }
}
