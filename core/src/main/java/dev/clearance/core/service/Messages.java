package dev.clearance.core.service;

import dev.clearance.core.model.AccessRequest;
import dev.clearance.core.model.UserEmail;
import dev.clearance.core.notify.NotificationKind;
import dev.clearance.core.notify.OutboundMessage;
import dev.clearance.core.port.Outbox;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/**
 * Enqueues the messages a change causes. Dedupe keys name the request, the kind, the recipient and what makes
 * the message unique, so that re-running the same change (a retried command, a re-fired timer) posts nothing twice.
 */
final class Messages {
    private final Outbox outbox;

    Messages(Outbox outbox) {
        this.outbox = outbox;
    }

    void toRequester(AccessRequest r, NotificationKind kind) {
        outbox.enqueue(OutboundMessage.to(r.requester(), kind, r.id(), r.id() + ":" + kind + ":" + r.requester()));
    }

    void toRequester(AccessRequest r, NotificationKind kind, Map<String, String> params) {
        outbox.enqueue(new OutboundMessage(kind, Optional.of(r.id()), Optional.of(r.requester()),
                r.id() + ":" + kind + ":" + r.requester(), params));
    }

    /** Approval requests for the current step; {@code round} separates escalation rounds. */
    void approvalRequests(AccessRequest r, Collection<UserEmail> recipients, String round) {
        for (UserEmail to : recipients) {
            outbox.enqueue(OutboundMessage.to(to, NotificationKind.APPROVAL_REQUEST, r.id(),
                    r.id() + ":approval:s" + r.currentStep() + ":" + round + ":" + to));
        }
    }

    /** One post per approval channel of the request's scope, instead of a message to each approver. */
    void approvalRequestsToChannels(AccessRequest r, Map<String, String> channels, String round) {
        channels.forEach((platform, conversation) -> outbox.enqueue(OutboundMessage.toChannel(platform, conversation,
                NotificationKind.APPROVAL_REQUEST, r.id(), r.id() + ":approval:s" + r.currentStep() + ":" + round + ":channel:"
                        + platform + ":" + conversation)));
    }

    void toAdmins(AccessRequest r, Collection<UserEmail> admins, NotificationKind kind, String discriminator,
                  Map<String, String> params) {
        for (UserEmail to : admins) {
            outbox.enqueue(new OutboundMessage(kind, Optional.of(r.id()), Optional.of(to),
                    r.id() + ":" + kind + ":" + discriminator + ":" + to, params));
        }
    }

    /** "Your access ends at …", with a way to ask for more; one per end, so an extended grant is told again. */
    void expiryNotice(AccessRequest r, java.time.Instant end) {
        outbox.enqueue(OutboundMessage.to(r.requester(), NotificationKind.EXPIRY_NOTICE, r.id(),
                r.id() + ":expiry-notice:" + end.getEpochSecond() + ":" + r.requester()));
    }

    /** Every live copy (requester prompt, approver messages) re-rendered from the state as of this version. */
    void refreshCopies(AccessRequest r, String change) {
        outbox.enqueue(OutboundMessage.refresh(r.id(), r.id() + ":refresh:" + change));
    }
}
