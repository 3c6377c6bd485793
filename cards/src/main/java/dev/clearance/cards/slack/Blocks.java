package dev.clearance.cards.slack;

import dev.clearance.cards.Texts;
import dev.clearance.core.model.AccessDuration;

import java.util.List;
import java.util.Map;

import static dev.clearance.cards.Json.arr;
import static dev.clearance.cards.Json.obj;

/** Block Kit building blocks, each within Slack's documented limits (long user text is cut, never rejected). */
final class Blocks {
    static final int TEXT_MAX = 3000;
    static final int FIELD_MAX = 2000;
    static final int HEADER_MAX = 150;
    static final int BUTTON_MAX = 75;
    static final int OPTION_MAX = 75;

    private Blocks() {
    }

    static Map<String, Object> plain(String text, int max) {
        return obj("type", "plain_text", "text", Texts.truncate(nonEmpty(text), max), "emoji", true);
    }

    static Map<String, Object> mrkdwn(String text, int max) {
        return obj("type", "mrkdwn", "text", Texts.truncate(nonEmpty(text), max));
    }

    static Map<String, Object> header(String text) {
        return obj("type", "header", "text", plain(text, HEADER_MAX));
    }

    static Map<String, Object> section(String markdown) {
        return obj("type", "section", "text", mrkdwn(markdown, TEXT_MAX));
    }

    static Map<String, Object> fields(List<String> markdownFields) {
        return obj("type", "section", "fields", markdownFields.stream().limit(10).map(f -> mrkdwn(f, FIELD_MAX)).toList());
    }

    static Map<String, Object> context(String markdown) {
        return obj("type", "context", "elements", arr(mrkdwn(markdown, TEXT_MAX)));
    }

    static Map<String, Object> divider() {
        return obj("type", "divider");
    }

    static Map<String, Object> button(String text, String actionId, String value, String style) {
        return obj("type", "button", "text", plain(text, BUTTON_MAX), "action_id", actionId, "value", value, "style", style);
    }

    static Map<String, Object> actions(String blockId, List<Map<String, Object>> elements) {
        return obj("type", "actions", "block_id", blockId, "elements", elements);
    }

    static Map<String, Object> option(AccessDuration d) {
        return obj("text", plain(d.describe(), OPTION_MAX), "value", d.toString());
    }

    static Map<String, Object> option(String text, String value) {
        return obj("text", plain(text, OPTION_MAX), "value", Texts.truncate(value, 150));
    }

    /** Escapes the three characters Slack's mrkdwn treats as control characters in user text. */
    static String esc(String s) {
        return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** User text as a quote, cut to fit a section. */
    static String quote(String s, int max) {
        String cut = Texts.truncate(esc(s), max);
        return "> " + cut.replace("\n", "\n> ");
    }

    private static String nonEmpty(String s) {
        return s == null || s.isEmpty() ? " " : s;
    }
}
