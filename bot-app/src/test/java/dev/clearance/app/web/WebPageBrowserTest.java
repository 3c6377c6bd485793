package dev.clearance.app.web;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import dev.clearance.app.support.AppTestBase;
import jakarta.mail.internet.MimeMessage;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.Select;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The requests web page in headless Chromium, against the whole application: sign-in through a real OpenID Connect
 * flow (mock-oauth2-server plays the identity provider; each sign-in is whoever the test enqueues), email through a
 * real SMTP server (GreenMail). People act with the browser as they would; timers and the outbox run on the test's
 * clock. Screenshots of the list and the request page are kept in target/screenshots.
 */
class WebPageBrowserTest extends AppTestBase {
    private static final String CLIENT_ID = "clearance-web";
    private static final int APP_PORT = freePort();
    private static final int SMTP_PORT = freePort();
    private static final MockOAuth2Server IDP = startedIdp();
    private static final GreenMail SMTP = startedSmtp();
    private static final String BASE = "http://localhost:" + APP_PORT;
    private Browser browser;

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static MockOAuth2Server startedIdp() {
        MockOAuth2Server idp = new MockOAuth2Server();
        idp.start();
        return idp;
    }

    private static GreenMail startedSmtp() {
        GreenMail g = new GreenMail(new ServerSetup(SMTP_PORT, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        g.start();
        return g;
    }

    @DynamicPropertySource
    static void web(DynamicPropertyRegistry registry) {
        // a known port, so that the links in emails lead back to this application
        registry.add("server.port", () -> APP_PORT);
        registry.add("clearance.public-url", () -> BASE);
        registry.add("clearance.config", () -> "src/test/resources/mail/clearance-mail.yml");
        registry.add("clearance.web.oidc.issuer-uri", () -> IDP.issuerUrl("clearance").toString());
        registry.add("clearance.web.oidc.client-id", () -> CLIENT_ID);
        registry.add("clearance.web.oidc.client-secret", () -> "web-test-client-secret");
        registry.add("clearance.mail.smtp-host", () -> "127.0.0.1");
        registry.add("clearance.mail.smtp-port", () -> SMTP_PORT);
        registry.add("clearance.mail.from", () -> "clearance@example.com");
    }

    @AfterAll
    static void stopServers() {
        IDP.shutdown();
        SMTP.stop();
    }

    @BeforeEach
    void openBrowser() throws Exception {
        Browser.requireChromium();
        SMTP.purgeEmailFromAllMailboxes();
        browser = Browser.open();
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    /** The identity provider's next sign-in is this person, with this verification of their email. */
    private static void nextSignInIs(String email, boolean verified) {
        IDP.enqueueCallback(new DefaultOAuth2TokenCallback("clearance", email.substring(0, email.indexOf('@')), "JWT",
                List.of(CLIENT_ID), Map.of("email", email, "email_verified", verified)));
    }

    /** Opens {@code url} signed in as {@code email}: the page sends the browser through the sign-in and back. */
    private void signIn(String email, String url) {
        nextSignInIs(email, true);
        browser.go(url);
        assertThat(browser.find("header .who").getText()).isEqualTo(email);
        assertThat(browser.driver.getCurrentUrl()).isEqualTo(url);
    }

    private void signOut() {
        browser.clickToLoad("form.signout button");
        assertThat(browser.find("h1").getText()).isEqualTo("Signed out");
    }

    /** Every form field has a label a screen reader announces, and the page has one main heading. */
    private void assertAccessible() {
        Object unlabelled = ((org.openqa.selenium.JavascriptExecutor) browser.driver).executeScript(
                "return Array.from(document.querySelectorAll('input:not([type=hidden]), select, textarea'))"
                        + ".filter(e => e.labels.length === 0).map(e => e.name || e.id);");
        assertThat((List<?>) unlabelled).as("fields without a label on " + browser.driver.getCurrentUrl()).isEmpty();
        assertThat(browser.driver.findElements(By.tagName("h1"))).hasSize(1);
        assertThat(browser.find("html").getAttribute("lang")).isEqualTo("en");
    }

    private void click(String css) {
        browser.clickToLoad(css);
    }

    private String requestIdOnPage() {
        Matcher m = Pattern.compile("/requests/(REQ-[A-Z0-9]+)$").matcher(browser.driver.getCurrentUrl());
        assertThat(m.find()).as(browser.driver.getCurrentUrl()).isTrue();
        return m.group(1);
    }

    private void decideOnPage(String decision, String reason) {
        browser.type("#reason", reason);
        click("button[name=decision][value=" + decision + "]");
    }

    /** Emails to {@code address} about request {@code id}. */
    private List<MimeMessage> mailTo(String address, String id) {
        return Arrays.stream(SMTP.getReceivedMessages()).filter(m -> {
            try {
                return Arrays.stream(m.getAllRecipients()).anyMatch(r -> r.toString().equals(address))
                        && m.getSubject().contains(id);
            } catch (jakarta.mail.MessagingException e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }

    @Test
    void anApproverWhoUsesNeitherSlackNorTeamsIsEmailedFollowsTheLinkSignsInAndApproves() throws Exception {
        // Alice asks for a destructive permission in production: two security approvals, then the account owner
        signIn("alice@example.com", BASE + "/requests/new");
        browser.type("#resource", "s3:DeleteObject");
        browser.type("#account", "123456789012");
        browser.type("#justification", "INC-4711: remove the leaked export");
        click("button[value=preview]");
        assertAccessible();
        assertThat(browser.find(".preview").getText()).contains("prod-destructive").contains("in scope org/prod").contains("Security review")
                .contains("sam@example.com").contains("Account owner").contains("pat@example.com");
        new Select(browser.find("select#duration")).selectByValue("1h");
        click("button[value=submit]");
        String id = requestIdOnPage();
        assertThat(browser.find(".notice").getText()).isEqualTo("Request " + id + " created.");
        assertThat(browser.find("h1 .status").getText()).isEqualTo("PENDING");
        assertThat(browser.has("form.action button[value=approve]")).as("no approving one's own request").isFalse();
        signOut();
        settle();

        // step 1: Sam and Sue of the security group approve in the browser
        for (String security : List.of("sam@example.com", "sue@example.com")) {
            signIn(security, BASE + "/requests/" + id);
            decideOnPage("approve", "checked the incident ticket");
            assertThat(browser.find(".notice").getText()).isEqualTo("Approved.");
            signOut();
            settle();
        }
        assertThat(status(id)).isEqualTo("PENDING");
        assertThat(get(id).body().at("/currentStep").asInt()).as("the second step, counted from 1").isEqualTo(2);

        // step 2: Pat asked for email only, and gets the approval request by email with a link to the request page
        List<MimeMessage> toPat = mailTo("pat@example.com", id);
        assertThat(toPat).hasSize(1);
        String body = GreenMailUtil.getBody(toPat.get(0));
        Matcher link = Pattern.compile(Pattern.quote(BASE) + "/requests/" + id).matcher(body);
        assertThat(link.find()).as(body).isTrue();
        assertThat(chat.to("pat@example.com")).as("pat is on no chat platform").isEmpty();

        signIn("pat@example.com", link.group());
        assertThat(browser.find("ol.steps li.current").getText()).contains("can decide now:").contains("pat@example.com");
        browser.screenshot("request-page-pending");
        assertAccessible();
        decideOnPage("approve", "the export must go");
        assertThat(browser.find(".notice").getText()).isEqualTo("Approved.");
        settle();
        browser.go(BASE + "/requests/" + id);
        assertThat(browser.find("h1 .status").getText()).isEqualTo("APPROVED");
        assertThat(browser.text()).contains("Decided by\npat@example.com");
        browser.screenshot("request-page-approved");
        browser.driver.manage().window().setSize(new org.openqa.selenium.Dimension(390, 844)); // a phone
        browser.screenshot("request-page-phone");
        browser.go(BASE + "/?show=all");
        assertAccessible();
        assertThat(browser.text()).contains(id);
        browser.screenshot("requests-list-phone");
        assertThat(get(id).body().at("/decidedBy").asString()).isEqualTo("pat@example.com");
        signOut();
        assertThat(mailTo("pat@example.com", id)).as("one email, never a second").hasSize(1);
        withdraw(id, "alice@example.com");
    }

    @Test
    void eachPersonSeesWhatTheyMayAndActsWithTheirRole() throws Exception {
        // a request at org/dev, where Olga approves and Root administers
        String denied = intake("alice@example.com", "ec2:StopInstances", "210987654321");
        justify(denied, "alice@example.com", "1h");
        String cancelled = intake("alice@example.com", "ec2:StartInstances", "210987654321");
        justify(cancelled, "alice@example.com", "1h");
        String revoked = intake("alice@example.com", "ec2:RebootInstances", "210987654321");
        justify(revoked, "alice@example.com", "1h");
        decide(revoked, "olga@example.com", "approve");
        settle();

        // Bob has no role at org/dev: the requests are not in his list, and their page refuses him
        signIn("bob@example.com", BASE + "/");
        assertThat(browser.text()).doesNotContain(denied).doesNotContain(cancelled).doesNotContain(revoked);
        browser.go(BASE + "/requests/" + denied);
        assertThat(browser.find(".error").getText()).contains("Only the requester and the approvers or admins");
        signOut();

        // Olga denies one
        signIn("olga@example.com", BASE + "/requests/" + denied);
        decideOnPage("deny", "use the runbook instead");
        assertThat(browser.find("h1 .status").getText()).isEqualTo("DENIED");
        signOut();

        // Alice sees her own, with "mine", and withdraws one
        signIn("alice@example.com", BASE + "/?show=mine");
        assertThat(browser.text()).contains(denied).contains(cancelled).contains(revoked);
        browser.go(BASE + "/requests/" + cancelled);
        assertThat(browser.has("form.action button[value=approve]")).isFalse();
        click("form[action$='/cancel'] button");
        assertThat(browser.find("h1 .status").getText()).isEqualTo("CANCELLED");
        signOut();

        // Root, an admin, sees everything and revokes the granted one
        signIn("root@example.com", BASE + "/");
        assertThat(browser.text()).contains(denied).contains(cancelled).contains(revoked);
        browser.screenshot("requests-list-admin");
        browser.go(BASE + "/requests/" + revoked);
        browser.type("#revoke-reason", "incident closed");
        click("form[action$='/revoke'] button");
        assertThat(browser.find(".notice").getText()).startsWith("Revocation started");
        settle();
        browser.go(BASE + "/requests/" + revoked);
        assertThat(browser.find("h1 .status").getText()).isEqualTo("ENDED");
        assertThat(browser.find("section[aria-labelledby=trail]").getText()).contains("revoked by root@example.com: incident closed");
        signOut();
        assertThat(status(denied)).isEqualTo("DENIED");
        assertThat(status(cancelled)).isEqualTo("CANCELLED");
        assertThat(status(revoked)).isEqualTo("ENDED");
    }

    @Test
    void aStalePageDoesNotActOnWhatItShowedButSaysWhy() {
        String id = intake("alice@example.com", "ec2:DescribeVolumes", "123456789012"); // pat or pia approves
        justify(id, "alice@example.com", "1h");
        settle();
        signIn("pat@example.com", BASE + "/requests/" + id);
        assertThat(browser.has("button[value=approve]")).isTrue();

        decide(id, "pia@example.com", "deny"); // meanwhile, in chat
        decideOnPage("approve", "looks fine");
        assertThat(browser.find(".error").getText()).contains(id).contains("already denied by pia@example.com");
        assertThat(browser.find("h1 .status").getText()).as("the page now shows the stored state").isEqualTo("DENIED");
        assertThat(browser.has("button[value=approve]")).isFalse();
        assertThat(status(id)).isEqualTo("DENIED");
        assertThat(get(id).body().at("/decidedBy").asString()).isEqualTo("pia@example.com");
        signOut();
    }

    @Test
    void withoutSignInOrCsrfTokenNothingChangesAndUnverifiedEmailsAreRefused() throws Exception {
        String id = intake("alice@example.com", "ec2:DescribeSnapshots", "123456789012");
        justify(id, "alice@example.com", "1h");
        HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

        // not signed in: sent to the sign-in, with a session cookie a script cannot read
        HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(URI.create(BASE + "/requests/" + id)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(302);
        assertThat(anonymous.headers().firstValue("Location").orElseThrow()).endsWith("/oauth2/authorization/clearance");
        assertThat(anonymous.headers().firstValue("Set-Cookie").orElseThrow()).startsWith("clearance_session=")
                .contains("HttpOnly").contains("Secure").contains("SameSite=Lax");
        assertThat(anonymous.headers().firstValue("Content-Security-Policy").orElseThrow())
                .isEqualTo(WebSecurityConfiguration.CONTENT_SECURITY_POLICY);

        // signed in, but a form posted from elsewhere carries no CSRF token: refused, nothing changes
        signIn("alice@example.com", BASE + "/requests/" + id);
        String session = browser.driver.manage().getCookieNamed("clearance_session").getValue();
        assertThat(browser.driver.manage().getCookieNamed("clearance_session").isSecure()).isTrue();
        HttpResponse<String> forged = http.send(HttpRequest.newBuilder(URI.create(BASE + "/requests/" + id + "/cancel"))
                .header("Cookie", "clearance_session=" + session)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(status(id)).isEqualTo("PENDING");
        // the same session with the page's own form works
        click("form[action$='/cancel'] button");
        assertThat(status(id)).isEqualTo("CANCELLED");
        signOut();

        // an identity provider that has not verified the email: no sign-in
        nextSignInIs("mallory@example.com", false);
        browser.go(BASE + "/");
        assertThat(browser.find("h1").getText()).isEqualTo("Sign-in refused");
        assertThat(browser.text()).contains("has not verified the email mallory@example.com");
        assertThat(browser.has("header .who")).isFalse();

        // the REST API keeps its bearer tokens: no redirect to a sign-in, no CSRF token needed
        assertThat(http.send(HttpRequest.newBuilder(URI.create(BASE + "/api/v1/requests/" + id)).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
        assertThat(get(id).status()).isEqualTo(200);
    }

    @Test
    void badInputOnTheNewRequestFormNamesTheFieldAndCreatesNothing() {
        signIn("alice@example.com", BASE + "/requests/new");
        // a pattern would slip past the specific prod-destructive policy: refused, naming the field
        browser.type("#resource", "s3:Delete*");
        browser.type("#account", "123456789012");
        assertThat(browser.has("#scope")).as("the scope follows from the account: nothing to choose").isFalse();
        click("button[value=preview]");
        assertThat(browser.find(".error").getText()).startsWith("resource: resource must be one exact action or name");
        assertThat(browser.has("button[value=submit]")).isFalse();
        assertThat(browser.driver.findElements(By.cssSelector(".preview"))).isEmpty();
        signOut();
    }
}
