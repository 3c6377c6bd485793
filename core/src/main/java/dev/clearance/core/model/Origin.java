package dev.clearance.core.model;

import java.util.Objects;
import java.util.Optional;

/**
 * How a change reached Clearance: the channel and the principal that channel authenticated. Recorded on every audit
 * event beside the person, so an approval made with an API token can be told from a click in Slack.
 *
 * @param channel   {@code slack}, {@code teams}, {@code web}, {@code api}, {@code timer} or {@code system}
 * @param principal what the channel proved, e.g. the API token's name, the Slack user and team, the Entra object id,
 *                  the web sign-in's subject; empty when the channel is Clearance itself
 */
public record Origin(String channel, String principal) {
    public static final String SLACK = "slack";
    public static final String TEAMS = "teams";
    public static final String WEB = "web";
    public static final String API = "api";
    public static final String TIMER = "timer";
    public static final String SYSTEM_CHANNEL = "system";
    /** Clearance itself, outside any timer (startup checks, migrations of old rows). */
    public static final Origin SYSTEM = new Origin(SYSTEM_CHANNEL, "");

    public Origin {
        Objects.requireNonNull(channel, "channel");
        principal = principal == null ? "" : principal;
        if (channel.isBlank() || channel.length() > 32 || principal.length() > 200) {
            throw new IllegalArgumentException("origin channel must be 1-32 characters and principal at most 200");
        }
    }

    /** A REST call authenticated by the API token named {@code tokenName}. */
    public static Origin api(String tokenName) {
        return new Origin(API, tokenName);
    }

    /** A Slack interaction, signed by Slack, of {@code userId} in workspace {@code teamId}. */
    public static Origin slack(String userId, String teamId) {
        return new Origin(SLACK, teamId == null || teamId.isBlank() ? userId : userId + "@" + teamId);
    }

    /** A Teams activity from the Entra user {@code aadObjectId} (or the channel account id when Teams gave none). */
    public static Origin teams(String aadObjectId) {
        return new Origin(TEAMS, aadObjectId);
    }

    /** The web page, signed in through the identity provider as {@code subject}. */
    public static Origin web(String subject) {
        return new Origin(WEB, subject);
    }

    /** A durable timer of kind {@code kind} (grant, revoke, expiry, escalation). */
    public static Origin timer(String kind) {
        return new Origin(TIMER, kind);
    }

    /** How the audit trail shows it: {@code api:detector}, {@code slack (U123@T9)}, {@code timer (GRANT)}. */
    public String display() {
        if (API.equals(channel)) {
            return API + ":" + principal;
        }
        return principal.isEmpty() ? channel : channel + " (" + principal + ")";
    }

    public Optional<String> principalIfAny() {
        return principal.isEmpty() ? Optional.empty() : Optional.of(principal);
    }

    @Override
    public String toString() {
        return display();
    }
}
