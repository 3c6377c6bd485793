package dev.clearance.app.security;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The web page's allowed email domains: exact matches, a warning when anyone verified may sign in. */
@ExtendWith(OutputCaptureExtension.class)
class EmailDomainsTest {

    @Test
    void domainsMatchExactlyCaseAside() {
        EmailDomains d = EmailDomains.of(List.of("example.com, @Example.ORG"));
        assertThat(d.allows("ann@example.com")).isTrue();
        assertThat(d.allows("ANN@EXAMPLE.COM")).isTrue();
        assertThat(d.allows("ann@example.org")).isTrue();
        assertThat(d.allows("ann@dev.example.com")).isFalse();
        assertThat(d.allows("ann@example.com.evil.test")).isFalse();
        assertThat(d.allows("ann@notexample.com")).isFalse();
        assertThat(d.allows("\"ann@example.com\"@evil.test")).isFalse();
    }

    @Test
    void anEmptyListAdmitsAnyoneAndSaysSo(CapturedOutput output) {
        EmailDomains open = EmailDomains.of(List.of());
        assertThat(open.allows("anyone@anywhere.test")).isTrue();
        open.announce("https://idp.example.com");
        assertThat(output.getOut()).contains("WARN").contains("CLEARANCE_WEB_ALLOWED_EMAIL_DOMAINS is empty")
                .contains("https://idp.example.com");
    }

    @Test
    void aValueThatIsNoDomainIsRefusedNamingTheSetting() {
        assertThatThrownBy(() -> EmailDomains.of(List.of("*.example.com"))).hasMessageContaining("CLEARANCE_WEB_ALLOWED_EMAIL_DOMAINS");
        assertThatThrownBy(() -> EmailDomains.of(List.of("localhost"))).hasMessageContaining("CLEARANCE_WEB_ALLOWED_EMAIL_DOMAINS");
    }
}
