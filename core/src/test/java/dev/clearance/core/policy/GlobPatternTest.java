package dev.clearance.core.policy;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GlobPatternTest {
    @Test
    void starAndQuestionMark() {
        GlobPattern g = GlobPattern.compile("s3:Delete*");
        assertThat(g.matches("s3:DeleteBucket")).isTrue();
        assertThat(g.matches("S3:deleteobject")).isTrue();
        assertThat(g.matches("s3:PutObject")).isFalse();
        GlobPattern acct = GlobPattern.compile("1234567890??");
        assertThat(acct.matches("123456789012")).isTrue();
        assertThat(acct.matches("1234567890123")).isFalse();
    }

    @Test
    void regexCharactersAreLiterals() {
        GlobPattern g = GlobPattern.compile("a.b+(c)");
        assertThat(g.matches("a.b+(c)")).isTrue();
        assertThat(g.matches("axb+(c)")).isFalse();
    }

    @Test
    void unsupportedSyntaxIsRefused() {
        assertThatThrownBy(() -> GlobPattern.compile("s3:[DP]*")).hasMessageContaining("only use '*' and '?'");
        assertThatThrownBy(() -> GlobPattern.compile(" ")).hasMessageContaining("empty");
    }
}
