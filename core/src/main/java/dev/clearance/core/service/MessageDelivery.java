package dev.clearance.core.service;

import dev.clearance.core.model.AccessRequest;
import dev.clearance.core.model.GrantState;
import dev.clearance.core.model.Person;
import dev.clearance.core.model.Status;
import dev.clearance.core.notify.Notification;
import dev.clearance.core.notify.NotificationKind;
import dev.clearance.core.notify.OutboundMessage;
import dev.clearance.core.view.RequestView;
import dev.clearance.core.port.ChatChannel;
import dev.clearance.core.port.ChatChannel.DeliveryException;
import dev.clearance.core.port.MessageRef;
import dev.clearance.core.port.Outbox.PendingDelivery;
import dev.clearance.core.port.SentMessages;
import dev.clearance.core.port.SentMessages.SentMessage;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Delivers one outbox message: renders it from the request's state now, posts it where it is still missing (posts are
 * remembered per (dedupe key, channel), so a retry after a partial failure posts only there) or updates the live
 * copies, and commits what it did with the message's outcome.
 */
final class MessageDelivery {
    private final LifecycleContext ctx;
    private final SentMessages sent;
    private final ChannelRouting routing;
    private final DeliveryFailures failures;
    private final RequestViews views;

    MessageDelivery(LifecycleContext ctx, SentMessages sent, ChannelRouting routing) {
        this.ctx = ctx;
        this.sent = sent;
        this.routing = routing;
        this.failures = new DeliveryFailures(ctx);
        this.views = new RequestViews(ctx.policies(), ctx.directory(), ctx.clock(), ctx.store());
    }

    /** Handles every failure of the message (retry or give up); only an {@link Error} escapes. */
    void deliver(PendingDelivery d) {
        OutboundMessage m = d.message();
        Done done = new Done();
        try {
            Optional<AccessRequest> request = m.requestId().flatMap(id -> ctx.store().find(id));
            Optional<RequestView> view = request.map(views::of);
            if (m.kind() == NotificationKind.REFRESH_COPIES) {
                refreshCopies(request.orElseThrow(), view.orElseThrow(), m, done);
            } else if (!stale(m.kind(), request)) {
                post(m, view, d.inDoubtSince(), true, done);
            } else if (d.inDoubtSince().isPresent()) {
                // NB: a dead dispatcher may have posted it before the request moved on: nothing new is posted, but
                // that post is recorded, so later updates of the request's copies reach it (and its buttons) too.
                post(m, view, d.inDoubtSince(), false, done);
            }
            ctx.transactions().run(() -> {
                done.write();
                ctx.outbox().delivered(d.id(), ctx.now());
            });
        } catch (DeliveryException e) {
            failures.failed(d, e, done::write);
        } catch (RuntimeException e) {
            failures.failedUnexpectedly(d, e, done::write);
        }
    }

    /**
     * What one delivery did on the platforms (posts made, copies re-rendered), written in the same transaction as the
     * message's own outcome: one commit per message instead of one per platform call.
     */
    private final class Done {
        private final List<SentMessage> posted = new ArrayList<>();
        private final Map<MessageRef, String> rendered = new LinkedHashMap<>();

        void write() {
            posted.forEach(sent::record);
            rendered.forEach(sent::rendered);
        }
    }

    /** A prompt or approval request that arrives after the request moved on would only offer dead buttons. */
    private static boolean stale(NotificationKind kind, Optional<AccessRequest> request) {
        return switch (kind) {
            case JUSTIFICATION_PROMPT -> request.map(r -> r.status() != Status.REQUESTED).orElse(true);
            case APPROVAL_REQUEST -> request.map(r -> r.status() != Status.PENDING).orElse(true);
            case EXPIRY_NOTICE -> request.map(r -> r.status() != Status.APPROVED
                    || r.grantState() != GrantState.ACTIVE).orElse(true);
            default -> false;
        };
    }

    /** Posts the message where it is missing; with {@code postIfMissing} false, only records an earlier post found. */
    private void post(OutboundMessage m, Optional<RequestView> view, Optional<Instant> inDoubtSince, boolean postIfMissing,
                      Done done) throws DeliveryException {
        if (m.recipient().isEmpty()) {
            postToChannel(m, view, inDoubtSince, postIfMissing, done);
            return;
        }
        Person person = ctx.directory().person(m.recipient().orElseThrow());
        List<ChatChannel> route = routing.routeOrFail(person);
        Map<String, String> params = new HashMap<>(m.params());
        params.put(RequestView.RECIPIENT, person.email().value());
        params.put(Notification.DEDUPE_KEY, m.dedupeKey());
        Notification n = new Notification(m.kind(), view, params);
        for (ChatChannel channel : route) {
            if (sent.alreadyPosted(m.dedupeKey(), channel.name())) {
                continue;
            }
            // NB: never post twice: when a dead dispatcher may have posted this already, ask the platform first.
            Optional<MessageRef> earlier = inDoubtSince.isPresent()
                    ? channel.findPosted(person, m.dedupeKey(), inDoubtSince.get()) : Optional.empty();
            if (earlier.isEmpty() && !postIfMissing) {
                continue;
            }
            var ref = earlier.isPresent() ? earlier.get() : channel.post(person, n);
            // a found earlier post's content is unknown: no digest, so the next refresh updates it
            String digest = earlier.isPresent() ? null : channel.fingerprint(n).orElse(null);
            done.posted.add(new SentMessage(m.requestId().orElse(null), person.email(), m.kind(), ref, m.dedupeKey(), digest));
        }
    }

    private void postToChannel(OutboundMessage m, Optional<RequestView> view, Optional<Instant> inDoubtSince,
                               boolean postIfMissing, Done done) throws DeliveryException {
        String conversation = m.params().get(OutboundMessage.CONVERSATION);
        ChatChannel channel = routing.forConversation(m.params().get(OutboundMessage.PLATFORM), conversation);
        if (sent.alreadyPosted(m.dedupeKey(), channel.name())) {
            return;
        }
        Optional<MessageRef> earlier = inDoubtSince.isPresent()
                ? channel.findPostedInConversation(conversation, m.dedupeKey(), inDoubtSince.get()) : Optional.empty();
        if (earlier.isEmpty() && !postIfMissing) {
            return;
        }
        Notification n = new Notification(m.kind(), view, Map.of(Notification.DEDUPE_KEY, m.dedupeKey()));
        var ref = earlier.isPresent() ? earlier.get() : channel.postToConversation(conversation, n);
        String digest = earlier.isPresent() ? null : channel.fingerprint(n).orElse(null);
        done.posted.add(new SentMessage(m.requestId().orElse(null), null, m.kind(), ref, m.dedupeKey(), digest));
    }

    private void refreshCopies(AccessRequest r, RequestView view, OutboundMessage m, Done done) throws DeliveryException {
        DeliveryException retryable = null;
        for (SentMessage copy : sent.liveCopies(r.id())) {
            Optional<ChatChannel> channel = routing.named(copy.ref().channel());
            if (channel.isEmpty()) {
                continue;
            }
            try {
                Map<String, String> params = new HashMap<>(m.params());
                params.put(RequestView.RECIPIENT, copy.recipient() == null ? "" : copy.recipient().value());
                Notification n = new Notification(copy.kind(), Optional.of(view), params);
                Optional<String> digest = channel.get().fingerprint(n);
                if (digest.isPresent() && digest.get().equals(copy.renderedDigest())) {
                    continue; // the copy already shows exactly this: an update would be a wasted platform call
                }
                channel.get().update(copy.ref(), n);
                digest.ifPresent(dg -> done.rendered.put(copy.ref(), dg));
            } catch (DeliveryException e) {
                if (e.isRetryable()) {
                    retryable = e;
                } else {
                    failures.recordFailure(r, copy.recipient(), copy.kind(), "could not update the message to "
                            + (copy.recipient() == null ? copy.ref().conversationId() : copy.recipient()) + " on "
                            + copy.ref().channel() + ": " + e.getMessage());
                }
            }
        }
        if (retryable != null) {
            throw retryable;
        }
    }
}
