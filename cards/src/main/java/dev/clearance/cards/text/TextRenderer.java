package dev.clearance.cards.text;

import dev.clearance.cards.Texts;
import dev.clearance.cards.Titles;
import dev.clearance.core.model.AccessDuration;
import dev.clearance.core.model.AuditEvent;
import dev.clearance.core.notify.Notification;
import dev.clearance.core.view.RequestView;

import java.time.Duration;
import java.util.stream.Collectors;

/** Plain-text rendering, used by the log channel and as the fallback text of chat messages. Pure. */
public final class TextRenderer {
    private TextRenderer() {
    }

    public static String render(Notification n) {
        if (n.request().isEmpty()) {
            return switch (n.kind()) {
                case SERVICE_DISABLED -> "The service " + n.param("service") + " is disabled in account " + n.param("account")
                        + ". Access to it cannot be requested.";
                case CANNOT_GRANT -> cannotGrant(n);
                case ADMIN_CANNOT_GRANT -> "ALERT: access for " + n.param("requester") + " (" + n.param("resource") + " in account "
                        + n.param("account") + ") cannot be granted, so the request was refused: " + n.param("reason");
                case ADMIN_SCOPE_MISMATCH -> scopeMismatch(n);
                default -> n.kind().name();
            };
        }
        RequestView v = n.request().get();
        if (v.isExtension()) {
            switch (n.kind()) {
                case REQUEST_SUBMITTED:
                    return "Your extension " + v.id() + " (" + v.requestedDuration().describe() + " more on " + v.resource()
                            + ", " + Texts.extensionLine(v) + ") was submitted; waiting for approvers (" + v.progress() + ").";
                case REQUEST_APPROVED:
                    return "Your extension " + v.id() + " was approved by " + v.decidedByName().orElse("?") + ": your access to "
                            + v.resource() + " in " + v.account() + " (" + v.extensionOf().orElse("?") + ") now ends at "
                            + v.expiresAt().map(Texts::time).orElse("?") + ".";
                case REQUEST_DENIED:
                    return "Your extension " + v.id() + " was denied by " + v.decidedByName().orElse("?") + ": "
                            + v.decisionReason().orElse("") + ". Your access ends as planned.";
                case REQUEST_EXPIRED:
                    return "Your extension " + v.id() + " got no decision in time; your access ends as planned.";
                default:
                    break;
            }
        }
        return switch (n.kind()) {
            case JUSTIFICATION_PROMPT -> v.isDecided() || v.status().name().equals("PENDING")
                    ? headline(v) + "\n" + summary(v)
                    : "You tried to use " + v.resource() + " in account " + v.account() + " (scope " + v.scope()
                    + "). It needs approval under policy '" + v.policy() + "'.\n"
                    + "Provide a justification and a duration (" + choices(v) + ") before "
                    + v.justificationDeadline().map(Texts::time).orElse("?") + ", or answer No.";
            case APPROVAL_REQUEST -> approval(v);
            case REFRESH_COPIES -> headline(v) + "\n" + summary(v);
            case REQUEST_SUBMITTED -> "Your request " + v.id() + " for " + v.resource() + " was submitted; waiting for approvers ("
                    + v.progress() + ").";
            case REQUEST_APPROVED -> "Your request " + v.id() + " for " + v.resource() + " in " + v.account() + " was approved by "
                    + v.decidedByName().orElse("?") + " for " + v.approvedDuration().map(AccessDuration::describe).orElse("?")
                    + ". Access is being granted.";
            case REQUEST_DENIED -> "Your request " + v.id() + " for " + v.resource() + " was denied by " + v.decidedByName().orElse("?")
                    + ": " + v.decisionReason().orElse("");
            case REQUEST_EXPIRED -> "Your request " + v.id() + " for " + v.resource() + " expired without a decision.";
            case REQUEST_ABANDONED_EXPIRED -> "Your request " + v.id() + " for " + v.resource()
                    + " was closed because no justification arrived in time.";
            case REQUEST_CANCELLED -> "Request " + v.id() + " was withdrawn.";
            case ACCESS_GRANTED -> "Access granted: " + v.resource() + " in " + v.account()
                    + v.expiresAt().map(e -> " until " + Texts.time(e)).orElse(" until revoked") + " (" + v.id() + ").";
            case ACCESS_ENDED -> "Your access to " + v.resource() + " in " + v.account() + " has ended (" + n.param("reason")
                    + "). To use it again, request access again.";
            case SERVICE_DISABLED -> "The service " + n.param("service") + " is disabled in account " + n.param("account") + ".";
            case CANNOT_GRANT, ADMIN_CANNOT_GRANT -> cannotGrant(n);
            case EXPIRY_NOTICE -> v.mayExtend()
                    ? "Your access to " + v.resource() + " in " + v.account() + " ends at " + v.expiresAt().map(Texts::time).orElse("?")
                    + " (" + v.id() + "). Need more time? Ask for an extension."
                    + v.remainingTotalLine().map(line -> " " + line + ".").orElse("")
                    : headline(v);
            case ADMIN_GRANT_FAILED -> "ALERT: access for " + v.id() + " (" + v.requesterEmail() + ", " + v.resource()
                    + ") could not be granted: " + n.param("error") + ". It may have been granted anyway;"
                    + " reconciliation will remove it and report back.";
            case ADMIN_GRANT_FAILED_CONFIRMED -> "Reconciliation confirmed that provider '" + n.param("provider")
                    + "' holds no access for " + v.id() + " (" + v.requesterEmail() + ", " + v.resource()
                    + "), whose grant failed: nothing was left granted.";
            case ADMIN_LEFTOVER_REMOVED -> "ALERT: reconciliation found access at provider '" + n.param("provider")
                    + "' for " + v.id() + " (" + v.requesterEmail() + ", " + v.resource() + " in " + v.account()
                    + ") although the request has ended (" + n.param("what") + "); it was removed. The request's"
                    + " audit trail says what was found.";
            case ADMIN_REVOKE_FAILING -> "ALERT: revoking access for " + v.id() + " (" + v.requesterEmail() + ", " + v.resource()
                    + ") keeps failing; retrying until it succeeds: " + n.param("error");
            case ADMIN_DELIVERY_FAILED -> "ALERT: " + v.id() + ": " + n.param("error");
            case ADMIN_SCOPE_MISMATCH -> scopeMismatch(n);
        };
    }

    private static String scopeMismatch(Notification n) {
        return "ALERT: request " + n.param("id") + " (" + n.param("status") + ") by " + n.param("requester") + " for "
                + n.param("resource") + " in account " + n.param("account") + " is in scope " + n.param("scope")
                + ", but the account belongs to scope " + n.param("expected") + ": it was filed with a scope of the "
                + "requester's choice, so the account's approvers may not have seen it. Review it (/access show "
                + n.param("id") + "; the root scope's admins see every request) and revoke it if it should not stand.";
    }

    private static String cannotGrant(Notification n) {
        return "Access to " + n.param("resource") + " in account " + n.param("account") + " cannot be granted to "
                + n.param("requester") + ", so no request was made: " + n.param("reason") + ". Your admins were told.";
    }

    private static String approval(RequestView v) {
        if (v.isDecided()) {
            return headline(v) + "\n" + summary(v);
        }
        StringBuilder sb = new StringBuilder();
        if (v.isExtension()) {
            sb.append("Extension needed: ").append(v.requesterName()).append(" <").append(v.requesterEmail()).append("> asks for ")
                    .append(v.requestedDuration().describe()).append(" more on ").append(v.resource()).append(" in account ")
                    .append(v.account()).append(" (").append(Texts.extensionLine(v)).append(")\n");
        } else {
            sb.append("Approval needed: ").append(v.requesterName()).append(" <").append(v.requesterEmail()).append("> requests ")
                    .append(v.resource()).append(" in account ").append(v.account()).append(" (scope ").append(v.scope()).append(")\n");
        }
        if (v.escalationLevel() > 0) {
            sb.append("Escalated (level ").append(v.escalationLevel()).append("): pending for ")
                    .append(Texts.waited(Duration.between(v.pendingSince().orElse(v.createdAt()), lastEscalation(v))))
                    .append("\n");
        }
        sb.append(summary(v));
        sb.append("\nApprove or deny with a reason before ").append(v.pendingDeadline().map(Texts::time).orElse("?")).append('.');
        return sb.toString();
    }

    private static java.time.Instant lastEscalation(RequestView v) {
        return v.audit().stream().filter(e -> e.reason() != null && e.reason().startsWith("escalated"))
                .map(AuditEvent::at).reduce((a, b) -> b).orElse(v.createdAt());
    }

    static String headline(RequestView v) {
        if (v.isExtension()) {
            return v.id() + ": " + Titles.of(v).toLowerCase() + " (" + Texts.extensionLine(v) + ")";
        }
        return switch (v.status()) {
            case REQUESTED -> v.id() + ": waiting for " + v.requesterName() + "'s justification";
            case PENDING -> v.id() + ": submitted, waiting for approvers (" + v.progress() + ")";
            case APPROVED -> v.id() + ": approved by " + v.decidedByName().orElse("?") + " for "
                    + v.approvedDuration().map(AccessDuration::describe).orElse("?") + " — " + v.decisionReason().orElse("")
                    + " [access " + v.grantState().name().toLowerCase() + "]";
            case DENIED -> v.id() + ": denied by " + v.decidedByName().orElse("?") + " — " + v.decisionReason().orElse("");
            case EXPIRED -> v.id() + ": expired without a decision";
            case ABANDONED -> v.id() + ": abandoned by the requester";
            case ABANDONED_EXPIRED -> v.id() + ": closed, no justification in time";
            case CANCELLED -> v.id() + ": withdrawn by the requester";
            case ENDED -> v.id() + ": ended — access " + v.grantState().name().toLowerCase();
        };
    }

    static String summary(RequestView v) {
        return "  resource: " + v.resource() + " | account: " + v.account() + " | scope: " + v.scope()
                + "\n  requester: " + v.requesterName() + " <" + v.requesterEmail() + ">"
                + "\n  requested duration: " + v.requestedDuration().describe()
                + "\n  justification: " + Texts.truncate(v.justification().orElse("(none yet)"), 500)
                + "\n  policy: " + v.policy() + " — " + v.progress()
                + v.detectedLine().map(d -> "\n  detected: AWS " + d).orElse("");
    }

    private static String choices(RequestView v) {
        return v.durationChoices().stream().map(AccessDuration::toString).collect(Collectors.joining(", "));
    }
}
