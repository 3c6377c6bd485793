package dev.clearance.adapters.slack;

import dev.clearance.core.port.ChatChannel.DeliveryException;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Whether a Slack user belongs to the organisation Clearance serves: the workspace the bot token is installed in (and
 * its Enterprise Grid organisation), learnt once from {@code auth.test}, plus any workspace or organisation ids an
 * admin allows ({@code SLACK_ALLOWED_TEAM_IDS}). Slack Connect members of a shared channel, and guests from other
 * organisations, are signed by Slack like anyone else: only their team says they are not ours.
 */
public final class SlackMembership {
    private final SlackApi api;
    private final Set<String> allowed;
    private volatile SlackApi.Workspace installed;

    /** @param allowedIds workspace ({@code T…}) and organisation ({@code E…}) ids accepted besides the installed one */
    public SlackMembership(SlackApi api, Collection<String> allowedIds) {
        this.api = api;
        this.allowed = new LinkedHashSet<>();
        for (String id : allowedIds) {
            if (id != null && !id.isBlank()) {
                allowed.add(id.strip());
            }
        }
    }

    /** A user who does not belong: the clicker is told why, and nothing happens. */
    public static final class Refused extends Exception {
        public Refused(String message) {
            super(message);
        }
    }

    /**
     * The first check, on the signed payload alone: the user's home workspace ({@code user.team_id}, or a slash
     * command's {@code team_id}) or the payload's organisation ({@code enterprise.id} / {@code enterprise_id}) must
     * be ours. Org-wide ({@code is_enterprise_install}) payloads are covered by the organisation id.
     */
    public void checkPayload(String userTeamId, String enterpriseId) throws Refused, DeliveryException {
        // NB: a payload that names no team is not ours: Slack always names the clicker's team
        if (!ours(userTeamId) && !ours(enterpriseId)) {
            throw new Refused(refusal());
        }
    }

    /**
     * The second check, on what {@code users.info} says with our token: the user's own workspace or organisation must
     * be ours, and Slack must not call them a stranger.
     */
    public void checkUser(SlackApi.SlackUser user) throws Refused, DeliveryException {
        // NB: is_stranger means another organisation's user who shares no channel with us; refused whatever else
        if (user.stranger() || !(ours(user.teamId()) || ours(user.enterpriseId()))) {
            throw new Refused(refusal());
        }
    }

    /** Whether a user found by {@code users.lookupByEmail} is ours (someone external may carry the same email). */
    public boolean isOurs(SlackApi.SlackUser user) throws DeliveryException {
        try {
            checkUser(user);
            return true;
        } catch (Refused e) {
            return false;
        }
    }

    String refusal() throws DeliveryException {
        return "Clearance only acts for members of " + workspace().name() + ". Your Slack account belongs to "
                + "another workspace or organisation, so nothing was done.";
    }

    private boolean ours(String id) throws DeliveryException {
        if (id == null || id.isBlank()) {
            return false;
        }
        SlackApi.Workspace w = workspace();
        return id.equals(w.teamId()) || id.equals(w.enterpriseId()) || allowed.contains(id);
    }

    /** The installed workspace, asked of Slack once (and again only until it answers). */
    SlackApi.Workspace workspace() throws DeliveryException {
        SlackApi.Workspace w = installed;
        if (w == null) {
            SlackApi.Workspace answer = api.authTest();
            if ((answer.teamId() == null || answer.teamId().isBlank())
                    && (answer.enterpriseId() == null || answer.enterpriseId().isBlank())) {
                throw DeliveryException.permanent("auth.test named no workspace for the bot token");
            }
            w = new SlackApi.Workspace(answer.teamId(), answer.enterpriseId(),
                    Optional.ofNullable(answer.name()).filter(n -> !n.isBlank()).orElse("this Slack workspace"));
            installed = w;
        }
        return w;
    }
}
