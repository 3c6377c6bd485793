package dev.clearance.cards.teams;

import dev.clearance.cards.Actions;
import dev.clearance.cards.Texts;
import dev.clearance.cards.Titles;
import dev.clearance.cards.text.TextRenderer;
import dev.clearance.core.model.Status;
import dev.clearance.core.notify.Notification;
import dev.clearance.core.view.RequestView;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.clearance.cards.Json.obj;
import static dev.clearance.cards.teams.TeamsIds.DATA_REQUEST_ID;
import static dev.clearance.cards.teams.TeamsElements.TEXT_MAX;
import static dev.clearance.cards.teams.TeamsElements.card;
import static dev.clearance.cards.teams.TeamsElements.details;
import static dev.clearance.cards.teams.TeamsElements.facts;
import static dev.clearance.cards.teams.TeamsElements.neutral;
import static dev.clearance.cards.teams.TeamsElements.outcome;
import static dev.clearance.cards.teams.TeamsElements.small;
import static dev.clearance.cards.teams.TeamsElements.text;
import static dev.clearance.cards.teams.TeamsElements.title;

/**
 * Adaptive Cards 1.5 for Microsoft Teams: the card of each notification, and of an approval channel's shared card.
 * Buttons are {@code Action.Execute} with a verb from {@link Actions} and the request id in {@code data}; Teams
 * merges the card's inputs into that data. Pure.
 */
public final class TeamsMessages {
    private TeamsMessages() {
    }

    /** The card for a notification: live copies (prompt, approval request) carry their actions while they apply. */
    public static Map<String, Object> render(Notification n) {
        if (n.request().isEmpty()) {
            return card(List.of(text(TextRenderer.render(n), "Default", false)), List.of());
        }
        RequestView v = n.request().get();
        return switch (n.kind()) {
            case JUSTIFICATION_PROMPT -> v.status() == Status.REQUESTED ? TeamsForms.prompt(v) : status(v);
            // NB: buttons only for someone who can act with them now; everyone else sees the state.
            case APPROVAL_REQUEST, REFRESH_COPIES -> v.mayDecide(n.param(RequestView.RECIPIENT)) ? TeamsForms.approval(v) : status(v);
            case EXPIRY_NOTICE -> v.mayExtend() ? TeamsForms.expiryNotice(v) : status(v);
            default -> card(List.of(text(Texts.truncate(TextRenderer.render(n), TEXT_MAX), "Default", false),
                    small("Request " + v.id())), List.of());
        };
    }

    /**
     * The card for an approval channel, where everyone sees the same card: the state, without buttons, plus a
     * Universal Actions {@code refresh} for {@code userIds} (Teams user ids of those who may decide now, at most 60), whose
     * clients then ask for their own card ({@link #channelCardFor}) and get the buttons.
     */
    public static Map<String, Object> forChannel(Notification n, List<String> userIds) {
        if (n.request().isEmpty()) {
            return render(n);
        }
        RequestView v = n.request().get();
        return withRefresh(status(v), v.id(), v.status() == Status.PENDING ? userIds : List.of());
    }

    /** What one person sees of an approval channel's card after a refresh: buttons if they may decide now. */
    public static Map<String, Object> channelCardFor(RequestView v, String email, List<String> userIds) {
        Map<String, Object> card = v.mayDecide(email) && email != null && !email.isBlank() ? TeamsForms.approval(v) : status(v);
        return withRefresh(card, v.id(), v.status() == Status.PENDING ? userIds : List.of());
    }

    /** Adds {@code refresh} for the listed users; none listed (nobody left to decide), the card is returned as is. */
    public static Map<String, Object> withRefresh(Map<String, Object> card, String requestId, List<String> userIds) {
        if (userIds.isEmpty()) {
            return card;
        }
        Map<String, Object> copy = new java.util.LinkedHashMap<>(card);
        copy.put("refresh", obj("action", obj("type", "Action.Execute", "title", "Refresh", "verb", Actions.REFRESH,
                "data", obj(DATA_REQUEST_ID, requestId)), "userIds", userIds.stream().limit(MAX_REFRESH_USERS).toList()));
        return copy;
    }

    /** Teams refreshes a card automatically for at most 60 listed users. */
    public static final int MAX_REFRESH_USERS = 60;

    /** The same card with a visible explanation on top, for a refused click; nothing else changes. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> withNotice(Map<String, Object> card, String notice) {
        Map<String, Object> copy = new java.util.LinkedHashMap<>(card);
        List<Object> body = new ArrayList<>((List<Object>) card.get("body"));
        body.add(0, obj("type", "TextBlock", "text", neutral(Texts.truncate(notice, TEXT_MAX)), "wrap", true, "color", "Attention",
                "weight", "Bolder"));
        copy.put("body", body);
        return copy;
    }

    /** A decided or moved-on request: outcome, who, why, and no buttons. */
    public static Map<String, Object> status(RequestView v) {
        List<Object> body = new ArrayList<>();
        body.add(title(Titles.of(v)));
        body.add(text(outcome(v), v.status() == Status.DENIED ? "Attention" : v.status() == Status.APPROVED ? "Good" : "Default", false));
        body.add(facts(details(v, true)));
        return card(body, List.of());
    }
}
