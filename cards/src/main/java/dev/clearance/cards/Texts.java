package dev.clearance.cards;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Formatting shared by every renderer: times, waits, and truncation of user text to a platform's limit. */
public final class Texts {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    private Texts() {
    }

    public static String time(Instant instant) {
        return TIME.format(instant);
    }

    /** What an extension may ask for: the policy's menu, less "until revoked", within what is left of its total. */
    public static java.util.List<dev.clearance.core.model.AccessDuration> extensionChoices(dev.clearance.core.view.RequestView v) {
        return v.extensionChoices();
    }

    /** "extension of REQ-…, active until …" for approvers of an extension request. */
    public static String extensionLine(dev.clearance.core.view.RequestView v) {
        return "extension of " + v.extensionOf().orElse("?") + (v.status() == dev.clearance.core.model.Status.APPROVED
                ? ", now active until " : ", active until ") + v.expiresAt().map(Texts::time).orElse("?");
    }

    /** How many audit lines a chat reply shows (the newest). */
    public static final int AUDIT_LINES = 30;

    /**
     * One audit line for people: "2026-03-02 09:00 UTC · pat@example.com via slack (U1@T1) · PENDING → APPROVED ·
     * reason": the person, and how the change arrived (the channel and what it authenticated).
     */
    public static String auditLine(dev.clearance.core.model.AuditEvent e) {
        return time(e.at()) + " · " + e.actor() + e.via().map(o -> " via " + o.display()).orElse("") + " · "
                + (e.from() == null ? "created" : e.from() == e.to() ? e.to().name() : e.from() + " → " + e.to())
                + (e.reason() == null ? "" : " · " + truncate(e.reason(), 200));
    }

    /** "2 h", "45 min". */
    public static String waited(Duration d) {
        long minutes = Math.max(0, d.toMinutes());
        return minutes >= 60 ? (minutes / 60) + " h" : minutes + " min";
    }

    /** Cuts text to at most {@code max} characters, marking the cut, so a long justification never breaks a message. */
    public static String truncate(String text, int max) {
        if (text == null) {
            return "";
        }
        if (text.length() <= max) {
            return text;
        }
        return text.substring(0, Math.max(0, max - 1)) + "…";
    }
}
