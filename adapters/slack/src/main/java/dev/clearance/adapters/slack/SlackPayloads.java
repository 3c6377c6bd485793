package dev.clearance.adapters.slack;

import com.slack.api.app_backend.interactive_components.payload.BlockActionPayload;
import com.slack.api.app_backend.views.payload.ViewSubmissionPayload;
import com.slack.api.bolt.response.Response;
import com.slack.api.model.view.ViewState;
import dev.clearance.cards.slack.SlackIds;
import dev.clearance.cards.slack.SlackReplies;
import dev.clearance.core.model.ClearanceException;
import tools.jackson.databind.json.JsonMapper;

import java.util.LinkedHashMap;
import java.util.Map;

/** What the interactions read from Slack's signed payloads, and the replies they share. */
final class SlackPayloads {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private SlackPayloads() {
    }

    /** The clicker of a button or of Enter in a form, with the team and organisation the signed payload gives. */
    static SlackIdentities.Caller caller(BlockActionPayload p) {
        return new SlackIdentities.Caller(p.getUser().getId(),
                p.getUser().getTeamId() != null ? p.getUser().getTeamId() : p.getTeam() == null ? null : p.getTeam().getId(),
                p.getEnterprise() == null ? null : p.getEnterprise().getId());
    }

    /** Who submitted a modal, likewise. */
    static SlackIdentities.Caller caller(ViewSubmissionPayload p) {
        return new SlackIdentities.Caller(p.getUser().getId(),
                p.getUser().getTeamId() != null ? p.getUser().getTeamId() : p.getTeam() == null ? null : p.getTeam().getId(),
                p.getEnterprise() == null ? null : p.getEnterprise().getId());
    }

    static String channelOf(BlockActionPayload p) {
        if (p.getContainer() != null && p.getContainer().getChannelId() != null) {
            return p.getContainer().getChannelId();
        }
        return p.getChannel() == null ? null : p.getChannel().getId();
    }

    static String teamOf(BlockActionPayload p) {
        return p.getTeam() != null ? p.getTeam().getId() : p.getUser().getTeamId();
    }

    static String text(Map<String, Map<String, ViewState.Value>> values, String block) {
        ViewState.Value v = value(values, block);
        return v == null ? null : v.getValue();
    }

    static String selected(Map<String, Map<String, ViewState.Value>> values, String block) {
        ViewState.Value v = value(values, block);
        return v == null || v.getSelectedOption() == null ? null : v.getSelectedOption().getValue();
    }

    /** The value of a block's input, whatever its action id (the request form's fields dispatch their own). */
    private static ViewState.Value value(Map<String, Map<String, ViewState.Value>> values, String block) {
        Map<String, ViewState.Value> b = values == null ? null : values.get(block);
        if (b == null || b.isEmpty()) {
            return null;
        }
        return b.getOrDefault(SlackIds.INPUT_ACTION, b.values().iterator().next());
    }

    /** A refusal for mrkdwn: it may quote what the user typed, which must not ping, mention or link. */
    static String explain(ClearanceException e) {
        return SlackReplies.escape(e.getMessage());
    }

    static String noIdentity() {
        return "I could not match your Slack account to an email address. Ask an admin to make your email visible in "
                + "your Slack profile, or to add your Slack id to Clearance's policy file.";
    }

    static Response ephemeral(Map<String, Object> reply) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("response_type", "ephemeral");
        body.putAll(reply);
        return Response.builder().statusCode(200).contentType(Response.CONTENT_TYPE_APPLICATION_JSON_UTF8)
                .body(JSON.writeValueAsString(body)).build();
    }
}
