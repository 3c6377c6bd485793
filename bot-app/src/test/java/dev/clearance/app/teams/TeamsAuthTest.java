package dev.clearance.app.teams;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.microsoft.bot.connector.authentication.ChannelValidation;
import dev.clearance.app.support.StoreSnapshot;
import dev.clearance.app.support.TimedAppTest;
import dev.clearance.cards.Actions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;

import com.github.tomakehurst.wiremock.client.WireMock;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * With an app id configured, /api/messages needs a valid Bot Framework JWT, checked by the Teams security chain before
 * the Teams controller runs; without one nothing happens. The tokens here are signed by a key this test publishes as
 * the Bot Framework's OpenID metadata (botbuilder is pointed at it), so botbuilder's own validation judges them.
 */
@TestPropertySource(properties = {"clearance.teams.app-id=" + TeamsAuthTest.APP_ID,
        "clearance.teams.app-password=not-a-real-password", "clearance.teams.tenant-id=" + FakeTeams.TENANT})
class TeamsAuthTest extends TimedAppTest {
    static final String APP_ID = "11111111-2222-3333-4444-555555555555";
    private static final String ISSUER = "https://api.botframework.com";
    private static final String OTHER_TENANT = "99999999-8888-7777-6666-555555555555";
    static final FakeTeams TEAMS = new FakeTeams();
    /** Plays login.botframework.com: the OpenID metadata and the signing keys, with their channel endorsements. */
    private static final WireMockServer BOT_FRAMEWORK = new WireMockServer(options().dynamicPort());
    private static final KeyPair KEY = rsa();
    private static final KeyPair OTHER_KEY = rsa();
    private static String originalMetadataUrl;

    @Autowired
    JdbcClient jdbc;

    @BeforeAll
    static void publishKeys() {
        BOT_FRAMEWORK.start();
        BOT_FRAMEWORK.stubFor(WireMock.get(urlPathEqualTo("/v1/.well-known/openidconfiguration")).willReturn(okJson(
                "{\"issuer\":\"" + ISSUER + "\",\"jwks_uri\":\"" + BOT_FRAMEWORK.baseUrl() + "/v1/.well-known/keys\","
                        + "\"id_token_signing_alg_values_supported\":[\"RS256\"]}")));
        RSAPublicKey pub = (RSAPublicKey) KEY.getPublic();
        BOT_FRAMEWORK.stubFor(WireMock.get(urlPathEqualTo("/v1/.well-known/keys")).willReturn(okJson(
                "{\"keys\":[{\"kty\":\"RSA\",\"use\":\"sig\",\"kid\":\"test-key\",\"n\":\"" + b64(pub.getModulus())
                        + "\",\"e\":\"" + b64(pub.getPublicExponent()) + "\",\"endorsements\":[\"msteams\"]}]}")));
        originalMetadataUrl = ChannelValidation.getOpenIdMetaDataUrl();
        ChannelValidation.setOpenIdMetaDataUrl(BOT_FRAMEWORK.baseUrl() + "/v1/.well-known/openidconfiguration");
    }

    @AfterAll
    static void restore() {
        ChannelValidation.setOpenIdMetaDataUrl(originalMetadataUrl);
        BOT_FRAMEWORK.stop();
    }

    private static KeyPair rsa() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String b64(BigInteger i) {
        byte[] bytes = i.toByteArray();
        if (bytes.length > 1 && bytes[0] == 0) {
            bytes = java.util.Arrays.copyOfRange(bytes, 1, bytes.length);
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** A Bot Framework channel token as botbuilder expects it, with what the caller may change. */
    private static String token(KeyPair key, String audience, String serviceUrl, Instant expires) {
        Instant now = Instant.now(); // NB: botbuilder checks a token's lifetime against the system clock
        return "Bearer " + JWT.create().withKeyId("test-key").withIssuer(ISSUER).withAudience(audience)
                .withClaim("serviceurl", serviceUrl).withNotBefore(Date.from(now.minusSeconds(60)))
                .withIssuedAt(Date.from(now.minusSeconds(60))).withExpiresAt(Date.from(expires))
                .sign(Algorithm.RSA256((RSAPublicKey) key.getPublic(), (RSAPrivateKey) key.getPrivate()));
    }

    private static String validToken() {
        return token(KEY, APP_ID, TEAMS.serviceUrl(), Instant.now().plus(Duration.ofHours(1)));
    }

    private HttpResponse<String> post(String body, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/messages"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void requestsWithoutAValidTokenGet401AndChangeNothing() throws Exception {
        String invoke = TEAMS.message("mallory", "pending");
        for (String authorization : new String[]{null, "Bearer not-a-jwt"}) {
            HttpResponse<String> r = post(invoke, authorization);
            assertThat(r.statusCode()).as(String.valueOf(authorization)).isEqualTo(401);
        }
        assertThat(TEAMS.sent()).as("no reply was sent").isEmpty();
        assertThat(TEAMS.server.getAllServeEvents()).as("not even a member lookup").isEmpty();
    }

    /**
     * Every missing, malformed, forged, expired or misdirected token is refused by the security chain: the 401 is the
     * chain's (problem JSON; the Teams controller answers plain JSON), and nothing downstream saw the activity.
     */
    @Test
    void theSecurityChainRefusesEveryBadTokenBeforeTheTeamsControllerRuns() throws Exception {
        String before = StoreSnapshot.of(jdbc);
        String approve = TEAMS.invoke("pat", Actions.APPROVE, Map.of("requestId", "r-1", "reason", "no token"));
        Instant later = Instant.now().plus(Duration.ofHours(1));
        Map<String, String> tries = new LinkedHashMap<>();
        tries.put("missing", null);
        tries.put("empty", "");
        tries.put("not a JWT", "Bearer not-a-jwt");
        tries.put("another scheme", "Basic " + Base64.getEncoder().encodeToString("pat:secret".getBytes()));
        tries.put("bare token", validToken().substring("Bearer ".length()));
        tries.put("signed by another key", token(OTHER_KEY, APP_ID, TEAMS.serviceUrl(), later));
        tries.put("for another bot", token(KEY, "99999999-2222-3333-4444-555555555555", TEAMS.serviceUrl(), later));
        tries.put("for another serviceUrl", token(KEY, APP_ID, "https://smba.trafficmanager.net/emea/", later));
        tries.put("expired", token(KEY, APP_ID, TEAMS.serviceUrl(), Instant.now().minus(Duration.ofMinutes(10))));
        String valid = validToken();
        int dot = valid.lastIndexOf('.');
        tries.put("signature altered", valid.substring(0, dot + 1) + (valid.charAt(dot + 1) == 'A' ? 'B' : 'A')
                + valid.substring(dot + 2));
        for (Map.Entry<String, String> t : tries.entrySet()) {
            HttpResponse<String> r = post(approve, t.getValue());
            assertThat(r.statusCode()).as(t.getKey()).isEqualTo(401);
            assertThat(r.headers().firstValue("Content-Type")).as(t.getKey()).hasValueSatisfying(
                    type -> assertThat(type).startsWith("application/problem+json"));
            assertThat(r.body()).as(t.getKey()).contains("a valid Bot Framework token is required");
        }
        assertThat(TEAMS.server.getAllServeEvents()).as("no member lookup, no reply").isEmpty();
        assertThat(StoreSnapshot.of(jdbc)).isEqualTo(before);
    }

    @Test
    void aBodyThatIsNotAnActivityIs400AndAValidTokenStillReachesTheBot() throws Exception {
        assertThat(post("[1,2", validToken()).statusCode()).isEqualTo(400);
        assertThat(post("{\"text\":\"no type\"}", validToken()).statusCode()).isEqualTo(400);

        // an activity from another tenant with a valid token: the bot itself answers (the tenant refusal card), which it
        // does without calling out, so the token is what let it through
        String elsewhere = FakeTeams.fromTenant(TEAMS.invoke("mallory", Actions.APPROVE,
                Map.of("requestId", "r-1", "reason", "ok")), OTHER_TENANT);
        HttpResponse<String> withoutToken = post(elsewhere, null);
        assertThat(withoutToken.statusCode()).isEqualTo(401);
        HttpResponse<String> r = post(elsewhere, validToken());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        assertThat(r.body()).contains("only acts for members of its organisation");
        assertThat(TEAMS.memberLookups("mallory")).isZero();
    }
}
