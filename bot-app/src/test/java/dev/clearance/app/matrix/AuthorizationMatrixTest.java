package dev.clearance.app.matrix;

import dev.clearance.app.slack.SlackProbe;
import dev.clearance.app.support.ApiClient;
import dev.clearance.app.support.StoreSnapshot;
import dev.clearance.app.support.TimedAppTest;
import dev.clearance.app.teams.TeamsChatProbe;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

/**
 * Who may do what, through every channel: each cell of {@link Expected} (persona x action) is tried through each
 * channel's real entry point ({@link Channel} says which actions a channel offers, and why not the others), and its
 * answer and the stored state afterwards are asserted: refused, the channel's refusal and nothing stored (the request,
 * its votes and audit trail, and the store as a whole); allowed, the channel's success, the new status, and audit events
 * recording the person and the channel used. One application with every channel on (Slack against FakeSlack, Teams in
 * development mode against FakeTeams, the web page against mock-oauth2-server); requests are set up through REST.
 */
@TestPropertySource(properties = {
        "clearance.config=src/test/resources/matrix/clearance-matrix.yml",
        "clearance.slack.bot-token=xoxb-test-token",
        "clearance.slack.signing-secret=" + SlackProbe.SIGNING_SECRET,
        "clearance.teams.allow-unauthenticated=true",
        "clearance.web.oidc.client-id=" + WebDriver.CLIENT_ID,
        "clearance.web.oidc.client-secret=web-test-client-secret",
        // named tokens with only the permissions each use needs (the base class's bare test token stays, unused here)
        "clearance.api.tokens=" + ApiClient.TOKEN + ",matrix-intake:intake:matrix-intake-secret-0123456789,"
                + "matrix-decide:decide:matrix-decide-secret-0123456789,matrix-admin:admin:matrix-admin-secret-0123456789,"
                + "matrix-read:read:matrix-read-secret-0123456789abc,"
                + "matrix-setup:intake+decide+read:matrix-setup-secret-0123456789"})
class AuthorizationMatrixTest extends TimedAppTest {
    private static final MockOAuth2Server IDP = startedIdp();

    @Autowired
    JdbcClient jdbc;
    @Autowired
    ApplicationContext context;
    private RestApi rest;
    private Setup setup;

    private static MockOAuth2Server startedIdp() {
        MockOAuth2Server idp = new MockOAuth2Server();
        idp.start();
        return idp;
    }

    @DynamicPropertySource
    static void channels(DynamicPropertyRegistry registry) {
        registry.add("clearance.slack.api-url", SlackProbe::apiUrl);
        registry.add("clearance.web.oidc.issuer-uri", () -> IDP.issuerUrl("clearance").toString());
    }

    @AfterAll
    static void stopIdp() {
        IDP.shutdown();
    }

    /**
     * The bearer token whose holder has exactly these permissions ({@code intake}, {@code read}, {@code decide},
     * {@code admin}), one of the named tokens declared above: a call is tried with no more power than it needs.
     */
    static String tokenWith(String... permissions) {
        java.util.Set<String> wanted = java.util.Set.of(permissions);
        if (wanted.equals(java.util.Set.of("intake"))) {
            return "matrix-intake-secret-0123456789";
        }
        if (wanted.equals(java.util.Set.of("decide"))) {
            return "matrix-decide-secret-0123456789";
        }
        if (wanted.equals(java.util.Set.of("admin"))) {
            return "matrix-admin-secret-0123456789";
        }
        if (wanted.equals(java.util.Set.of("read"))) {
            return "matrix-read-secret-0123456789abc";
        }
        if (wanted.equals(java.util.Set.of("intake", "decide", "read")) || wanted.equals(java.util.Set.of("read", "decide"))) {
            return "matrix-setup-secret-0123456789";
        }
        throw new IllegalArgumentException("no matrix token declared with exactly " + wanted);
    }

    /** The name of the token {@link #tokenWith} returns for an action: what the audit trail records as the principal. */
    static String tokenNameFor(Action action) {
        return action == Action.REVOKE ? "matrix-admin" : "matrix-decide";
    }

    /** The permission a REST action needs besides the person's own right: an admin's revoke needs admin, the rest decide. */
    private static String permissionFor(Action action) {
        return action == Action.REVOKE ? "admin" : "decide";
    }

    @BeforeEach
    void connectMatrix() {
        rest = new RestApi(port);
        // timers only (the grant): what the outbox would send is no part of who may do what, and delivering it costs time
        setup = new Setup(rest, tokenWith("intake", "decide", "read"), dueTimers::fireDue);
    }

    /**
     * Whatever a channel's cells left open is withdrawn, and the clock moves on an hour, so that no request of one
     * channel's run counts against the next (open requests, requests per hour).
     */
    @AfterEach
    void withdrawWhatIsOpen() {
        String token = tokenWith("read", "decide");
        for (String status : List.of("REQUESTED", "PENDING", "APPROVED")) {
            JsonNode page = rest.get(token, "/requests?requester=" + Persona.REQUESTER.email() + "&status=" + status
                    + "&size=100").body();
            page.path("items").forEach(r -> rest.post(token, "/requests/" + r.get("id").asString() + "/cancel",
                    "{\"actor\":" + RestApi.quote(Persona.REQUESTER.email()) + "}"));
        }
        dueTimers.fireDue();
        clock.advance(java.time.Duration.ofHours(1)); // nothing is due in the hour: the windows are days (policy file)
    }

    // ------------------------------------------------------------------ the matrix, one channel at a time

    @TestFactory
    Stream<DynamicNode> rest() {
        return matrix(new RestDriver(rest, action -> tokenWith(permissionFor(action))));
    }

    @TestFactory
    Stream<DynamicNode> slack() {
        SlackProbe slack = new SlackProbe(port, clock, context);
        slack.resetWorkspace();
        return matrix(new SlackDriver(slack));
    }

    @TestFactory
    Stream<DynamicNode> teams() {
        TeamsChatProbe teams = new TeamsChatProbe(port);
        teams.reset();
        for (Persona p : Persona.values()) {
            assertThat(teams.install(p.teamsName())).as("installing for " + p).isBetween(200, 299);
        }
        return matrix(new TeamsDriver(teams));
    }

    @TestFactory
    Stream<DynamicNode> web() {
        return matrix(new WebDriver(port, IDP));
    }

    // ------------------------------------------------------------------ REST with scoped tokens (issue 19)

    /**
     * The second REST dimension: every cell the table allows, tried with an intake-only token, is refused with a 403
     * problem and changes nothing (a detector's leaked token is no master key).
     */
    @TestFactory
    Stream<DynamicNode> anIntakeOnlyTokenIsRefusedAndChangesNothing() {
        RestDriver intakeOnly = new RestDriver(rest, action -> tokenWith("intake"));
        assertThat(tokenWith("intake")).as("an intake-only token, not the all-powerful one").isNotEqualTo(ApiClient.TOKEN);
        return Arrays.stream(Action.values()).filter(Channel.REST.offers::contains).map(action -> dynamicContainer(
                action + " on " + action.on, Expected.allowedFor(action).stream().map(p -> dynamicTest(p + " with an intake token",
                        () -> {
                            String id = setup.fresh(Channel.REST, action.on);
                            JsonNode before = stored(id);
                            String storeBefore = StoreSnapshot.of(jdbc);
                            ChannelDriver.Answer answer = intakeOnly.attempt(action, p, id);
                            assertThat(answer.allowed()).as("refused: " + answer.evidence()).isFalse();
                            assertThat(stored(id)).isEqualTo(before);
                            assertThat(StoreSnapshot.of(jdbc)).isEqualTo(storeBefore);
                        }))));
    }

    /** Reading a request through REST needs the read permission: an intake-only token gets 403. */
    @Test
    void readingThroughRestNeedsTheReadPermission() {
        String id = setup.fresh(Channel.REST, Action.State.PENDING_STEP1);
        assertThat(rest.get(tokenWith("intake"), "/requests/" + id).status()).isEqualTo(403);
        assertThat(rest.get(tokenWith("intake"), "/requests?requester=" + Persona.REQUESTER.email()).status()).isEqualTo(403);
        assertThat(rest.get(tokenWith("read"), "/requests/" + id).status()).isEqualTo(200);
    }

    // ------------------------------------------------------------------ the table itself

    @Test
    void theTableHasAnAllowedAndARefusedPersonaForEveryActionAndEveryChannelSaysWhatItLacks() {
        for (Action action : Action.values()) {
            assertThat(Expected.allowedFor(action)).as(action.name()).isNotEmpty().hasSizeLessThan(Persona.values().length);
            for (Channel channel : Channel.values()) {
                assertThat(channel.offers.contains(action) || !channel.missing.getOrDefault(action, "").isBlank())
                        .as(channel + " " + action).isTrue();
            }
        }
        for (String known : Expected.KNOWN_FAILURES.keySet()) {
            assertThat(known).as("a known failure names a cell: CHANNEL ACTION PERSONA").matches("[A-Z]+ [A-Z_0-9]+ [A-Z_0-9]+");
        }
    }

    // ------------------------------------------------------------------ running one cell

    private Stream<DynamicNode> matrix(ChannelDriver driver) {
        Channel channel = driver.channel();
        // refused cells and reads share one request per state while it stays unchanged; an allowed change gets its own
        Map<Action.State, String> shared = new EnumMap<>(Action.State.class);
        return Arrays.stream(Action.values()).map(action -> {
            if (!channel.offers.contains(action)) {
                return dynamicTest(action + ": not offered by " + channel, () -> abort(channel + " does not offer "
                        + action + ": " + channel.missing.get(action)));
            }
            List<DynamicTest> cells = new ArrayList<>();
            for (Persona persona : Persona.values()) {
                cells.add(dynamicTest(Expected.key(channel, action, persona) + " -> "
                        + (Expected.allowed(action, persona) ? "allowed" : "refused"), () -> cell(driver, action, persona, shared)));
            }
            return dynamicContainer(action + " on " + action.on, cells);
        });
    }

    private void cell(ChannelDriver driver, Action action, Persona persona, Map<Action.State, String> shared) {
        String key = Expected.key(driver.channel(), action, persona);
        String known = Expected.KNOWN_FAILURES.get(key);
        try {
            check(driver, action, persona, shared);
        } catch (AssertionError e) {
            if (known != null) {
                abort("KNOWN FAILURE " + key + " (" + known + "): " + e.getMessage());
            }
            throw e;
        }
        if (known != null) {
            fail(key + " is in Expected.KNOWN_FAILURES but passes now: take it off the list");
        }
    }

    private void check(ChannelDriver driver, Action action, Persona persona, Map<Action.State, String> shared) {
        Channel channel = driver.channel();
        boolean expected = Expected.allowed(action, persona);
        boolean changes = expected && action.changes();
        String id = changes ? setup.fresh(channel, action.on) : shared.computeIfAbsent(action.on, s -> setup.fresh(channel, s));
        JsonNode before = stored(id);
        String storeBefore = StoreSnapshot.of(jdbc);
        ChannelDriver.Answer answer = driver.attempt(action, persona, id);
        String what = channel + ": " + persona + " (" + persona.email() + ") " + action + " on " + id;
        if (!changes) {
            JsonNode after = stored(id);
            String storeAfter = StoreSnapshot.of(jdbc);
            if (!after.equals(before) || !storeAfter.equals(storeBefore)) {
                shared.remove(action.on);
            }
            assertThat(answer.allowed()).as(what + " must be " + (expected ? "allowed" : "refused") + "; "
                    + channel + " answered: " + answer.evidence()).isEqualTo(expected);
            assertThat(after).as(what + ": the stored request is unchanged").isEqualTo(before);
            assertThat(storeAfter).as(what + ": nothing stored (requests:versions/audit/votes/outbox/timers)")
                    .isEqualTo(storeBefore);
        } else {
            assertThat(answer.allowed()).as(what + " must be allowed; " + channel + " answered: " + answer.evidence()).isTrue();
            assertAllowedEffect(channel, action, persona, id, before, stored(id));
        }
        assertThat(answer.mismatch()).as(what + ": what " + channel + " offers must be what it allows").isNull();
    }

    /** What an allowed change left in the store: its status, its vote or decision, and audit events of this channel. */
    private void assertAllowedEffect(Channel channel, Action action, Persona persona, String id, JsonNode before, JsonNode after) {
        String what = channel + ": " + persona + " " + action + " on " + id;
        assertThat(after.get("status").asString()).as(what + ": status").isEqualTo(action.statusAfter);
        List<JsonNode> added = new ArrayList<>();
        after.get("audit").forEach(added::add);
        added = added.subList(before.get("audit").size(), added.size());
        assertThat(added).as(what + ": new audit events").isNotEmpty();
        assertThat(added).as(what + ": every new audit event records the channel used")
                .allSatisfy(e -> assertThat(e.path("channel").asString()).isEqualTo(channel.auditChannel));
        assertThat(added).as(what + ": the person acted").anySatisfy(e -> assertThat(e.path("actor").asString())
                .isEqualTo(persona.email()));
        // REST: the name of the token the call authenticated with (the body names the person, the token the caller)
        String principal = channel == Channel.REST ? tokenNameFor(action) : channel.principalOf(persona);
        if (principal != null) {
            assertThat(added.stream().filter(e -> e.path("actor").asString().equals(persona.email())))
                    .as(what + ": the principal is what " + channel + " proved").allSatisfy(e -> assertThat(
                            e.path("principal").asString()).startsWith(principal));
        }
        switch (action) {
            case APPROVE_AT_STEP1 -> {
                assertThat(after.get("currentStep").asInt()).as(what + ": on to step 2").isEqualTo(2);
                assertThat(after.at("/steps/0/approvals").toString()).contains(persona.email());
            }
            case APPROVE_AT_STEP2 -> {
                assertThat(after.at("/steps/1/approvals").toString()).as(what).contains(persona.email());
                assertThat(after.get("decidedBy").asString()).isEqualTo(persona.email());
            }
            case DENY_AT_STEP1, DENY_AT_STEP2 -> assertThat(after.get("decidedBy").asString()).as(what).isEqualTo(persona.email());
            case CANCEL_APPROVED, REVOKE -> assertThat(after.at("/grant/state").asString()).as(what + ": grant")
                    .isEqualTo("REVOKING");
            case EXTEND -> {
                JsonNode extension = extensionOf(id);
                assertThat(extension.get("status").asString()).as(what + ": the extension").isEqualTo("PENDING");
                assertThat(extension.get("audit")).as(what + ": the extension's audit records the channel used")
                        .allSatisfy(e -> assertThat(e.path("channel").asString()).isEqualTo(channel.auditChannel));
            }
            default -> {
            }
        }
    }

    private JsonNode stored(String id) {
        return rest.request(tokenWith("read"), id);
    }

    private JsonNode extensionOf(String id) {
        JsonNode page = rest.get(tokenWith("read"), "/requests?requester=" + Persona.REQUESTER.email()
                + "&status=PENDING&size=100").body();
        for (JsonNode r : page.path("items")) {
            if (id.equals(r.path("extensionOf").asString())) {
                return stored(r.get("id").asString());
            }
        }
        throw new AssertionError("no pending extension of " + id + " in " + page);
    }
}
