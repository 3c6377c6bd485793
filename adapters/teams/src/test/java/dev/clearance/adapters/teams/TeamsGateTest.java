package dev.clearance.adapters.teams;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Which service URLs development mode takes for this machine: literals only, never a name that resolves there. */
class TeamsGateTest {
    @Test
    void loopbackLiteralsAreThisMachine() {
        for (String url : new String[]{"http://localhost:3978", "https://LocalHost/", "http://127.0.0.1:56150/_connector",
                "http://127.1.2.3", "http://[::1]:8080/", "http://[0:0:0:0:0:0:0:1]/", "http://user@127.0.0.1/"}) {
            assertThat(TeamsGate.isLoopback(url)).as(url).isTrue();
        }
    }

    @Test
    void everythingElseIsNot() {
        for (String url : new String[]{null, "", "not a url", "http://10.0.0.5", "http://169.254.169.254/latest/meta-data",
                "http://127.0.0.1.nip.io/", "http://localhost.example.com/", "http://0x7f000001/", "http://2130706433/",
                "http://0177.0.0.1/", "http://127.0.0.256/", "ftp://127.0.0.1/", "file:///etc/passwd", "http://[::2]/",
                "https://smba.trafficmanager.net/emea/", "http://128.0.0.1/", "//127.0.0.1/"}) {
            assertThat(TeamsGate.isLoopback(url)).as(String.valueOf(url)).isFalse();
        }
    }
}
