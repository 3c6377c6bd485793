package dev.clearance.cards.mail;

import dev.clearance.cards.Texts;
import dev.clearance.cards.Titles;
import dev.clearance.cards.text.TextRenderer;
import dev.clearance.core.model.AuditEvent;
import dev.clearance.core.notify.Notification;
import dev.clearance.core.view.RequestView;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Email bodies: a subject, a plain-text and an HTML part, from the same view as the chat cards. Pure. An email cannot
 * be edited once sent, so it carries no buttons: it says what happened and links to the request's page, where the
 * person signs in and acts (no approve-by-link).
 */
public final class MailRenderer {
    private MailRenderer() {
    }

    /** One email. {@code link} is the request's page, when there is a request and a public address. */
    public record Mail(String subject, String text, String html, Optional<String> link) {
    }

    /**
     * @param publicUrl where people open Clearance (e.g. {@code https://clearance.example.com}); empty: no link
     */
    public static Mail render(Notification n, Optional<String> publicUrl) {
        String message = TextRenderer.render(n);
        Optional<RequestView> view = n.request();
        Optional<String> link = view.flatMap(v -> publicUrl.map(u -> (u.endsWith("/") ? u : u + "/") + "requests/" + v.id()));
        String subject = "[Clearance] " + view.map(v -> subjectOf(n, v)).orElseGet(() -> firstLine(message));
        StringBuilder text = new StringBuilder(message).append("\n");
        view.ifPresent(v -> details(v).forEach(d -> text.append("\n").append(d[0]).append(": ").append(d[1])));
        link.ifPresent(l -> text.append("\n\nOpen the request (sign-in required): ").append(l));
        text.append("\n\n-- \nClearance, just-in-time access. You get this email because no chat platform reaches you"
                + " or you asked for email.\n");

        StringBuilder html = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width\"><title>").append(esc(subject)).append("</title></head>\n"
                + "<body style=\"font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;color:#1a1a1a;line-height:1.45\">\n");
        for (String paragraph : message.split("\n")) {
            if (!paragraph.isBlank()) {
                html.append("<p>").append(esc(paragraph)).append("</p>\n");
            }
        }
        view.ifPresent(v -> {
            html.append("<table role=\"presentation\" style=\"border-collapse:collapse\">\n");
            for (String[] d : details(v)) {
                html.append("<tr><th scope=\"row\" style=\"text-align:left;padding:2px 12px 2px 0;color:#444\">")
                        .append(esc(d[0])).append("</th><td style=\"padding:2px 0\">").append(esc(d[1])).append("</td></tr>\n");
            }
            html.append("</table>\n");
        });
        link.ifPresent(l -> html.append("<p><a href=\"").append(esc(l)).append("\" style=\"color:#0b57d0\">Open the request</a>"
                + " (sign-in required)</p>\n"));
        html.append("<p style=\"color:#555;font-size:12px\">Clearance, just-in-time access. You get this email because no"
                + " chat platform reaches you or you asked for email.</p>\n</body></html>\n");
        return new Mail(subject, text.toString(), html.toString(), link);
    }

    private static String subjectOf(Notification n, RequestView v) {
        String what = switch (n.kind()) {
            case APPROVAL_REQUEST -> v.mayDecide(n.param(RequestView.RECIPIENT)) ? "Approval needed" : Titles.of(v);
            case JUSTIFICATION_PROMPT -> v.status().name().equals("REQUESTED") ? "Justify your access request" : Titles.of(v);
            case REQUEST_SUBMITTED -> v.isExtension() ? "Extension submitted" : "Request submitted";
            case REQUEST_APPROVED -> v.isExtension() ? "Extension approved" : "Request approved";
            case REQUEST_DENIED -> v.isExtension() ? "Extension denied" : "Request denied";
            case REQUEST_EXPIRED -> "No decision in time";
            case REQUEST_ABANDONED_EXPIRED -> "Closed: no justification in time";
            case REQUEST_CANCELLED -> "Request withdrawn";
            case ACCESS_GRANTED -> "Access granted";
            case ACCESS_ENDED -> "Access ended";
            case EXPIRY_NOTICE -> "Your access ends soon";
            case ADMIN_GRANT_FAILED -> "ALERT: access could not be granted (it may have been; reconciliation will remove it)";
            case ADMIN_GRANT_FAILED_CONFIRMED -> "Confirmed: nothing was left granted";
            case ADMIN_LEFTOVER_REMOVED -> "ALERT: leftover access found and removed";
            case ADMIN_REVOKE_FAILING -> "ALERT: revocation keeps failing";
            case ADMIN_DELIVERY_FAILED -> "ALERT: a message could not be delivered";
            default -> Titles.of(v);
        };
        return what + ": " + v.resource() + " in " + v.account() + " (" + v.id() + ")";
    }

    private static List<String[]> details(RequestView v) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[]{"Request", v.id()});
        rows.add(new String[]{"Status", Titles.of(v)});
        rows.add(new String[]{"Requester", v.requesterName() + " <" + v.requesterEmail() + ">"});
        rows.add(new String[]{"Resource", v.resource()});
        v.detectedLine().ifPresent(d -> rows.add(new String[]{"Detected", "AWS " + d}));
        rows.add(new String[]{"Account", v.account() + " (scope " + v.scope() + ")"});
        rows.add(new String[]{"Policy", v.policy()});
        v.justification().ifPresent(j -> rows.add(new String[]{"Justification", j}));
        if (v.status().name().equals("PENDING")) {
            rows.add(new String[]{"Progress", v.progress()});
        }
        v.expiresAt().ifPresent(e -> rows.add(new String[]{"Access until", Texts.time(e)}));
        v.remainingTotalLine().ifPresent(line -> rows.add(new String[]{"Extension", line}));
        List<AuditEvent> audit = v.audit();
        if (!audit.isEmpty()) {
            rows.add(new String[]{"Last event", Texts.auditLine(audit.get(audit.size() - 1))});
        }
        return rows;
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        String line = nl < 0 ? s : s.substring(0, nl);
        return line.length() > 150 ? line.substring(0, 150) + "…" : line;
    }

    /** HTML text and attribute escaping. */
    static String esc(String s) {
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
