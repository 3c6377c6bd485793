package dev.clearance.core.service;

import dev.clearance.core.model.AccessRequest;
import dev.clearance.core.model.AuditEvent;
import dev.clearance.core.model.Person;
import dev.clearance.core.model.RequestId;
import dev.clearance.core.model.Status;
import dev.clearance.core.model.UserEmail;
import dev.clearance.core.notify.Notification;
import dev.clearance.core.notify.NotificationKind;
import dev.clearance.core.notify.OutboundMessage;
import dev.clearance.core.notify.RequestView;
import dev.clearance.core.policy.Approvers;
import dev.clearance.core.port.ChatChannel;
import dev.clearance.core.port.ChatChannel.DeliveryException;
import dev.clearance.core.port.MessageRef;
import dev.clearance.core.port.Outbox;
import dev.clearance.core.port.Outbox.PendingDelivery;
import dev.clearance.core.port.SentMessages;
import dev.clearance.core.port.SentMessages.SentMessage;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Logger;

/**
 * Delivers outbox messages to the chat channels. Posts are remembered per (dedupe key, channel), so a retry after a
 * partial failure posts only where the message is still missing. Passing failures retry with exponential backoff
 * (honouring Retry-After); permanent ones go on the request's audit trail and to the admins.
 */
public final class NotificationDelivery {
    private static final Logger LOG = Logger.getLogger(NotificationDelivery.class.getName());
    /**
     * How long a claim on an outbox message lasts without renewal. Short, so that a crashed instance's messages are
     * taken over quickly; the live owner renews it every {@code LEASE / 3} (see {@link #renewClaims()}).
     */
    public static final Duration LEASE = Duration.ofSeconds(15);
    private static final Duration FIRST_RETRY = Duration.ofSeconds(2);
    private static final Duration LONGEST_RETRY = Duration.ofMinutes(10);
    /** About a day of retries before a passing failure is treated as permanent. */
    public static final int MAX_ATTEMPTS = 150;

    private final LifecycleContext ctx;
    private final SentMessages sent;
    private final List<ChatChannel> channels;
    private final RequestViews views;

    public NotificationDelivery(LifecycleContext ctx, SentMessages sent, List<ChatChannel> channels) {
        this.ctx = ctx;
        this.sent = sent;
        this.channels = List.copyOf(channels);
        this.views = new RequestViews(ctx.policies(), ctx.directory(), ctx.clock(), ctx.store());
    }

    public List<String> channelNames() {
        return channels.stream().map(ChatChannel::name).toList();
    }

    /** Delivers what is due now, one message after another; returns how many messages were handled. */
    public int deliverDue(int batch) {
        try {
            return deliverDue(batch, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    /**
     * Delivers what is due now; returns how many messages were handled. Messages of different requests go out at
     * once on {@code workers} (a platform call takes milliseconds to seconds, and one thread would make every
     * message wait for all before it); a request's own messages stay in order, in one lane, so a copy update never
     * overtakes the post it updates. With no workers, everything runs on the calling thread.
     */
    public int deliverDue(int batch, ExecutorService workers) throws InterruptedException {
        List<PendingDelivery> due = ctx.transactions().inTransaction(() -> ctx.outbox().claimDue(ctx.now(), batch, LEASE));
        // A refresh renders the state at delivery time, so only the last refresh of a request in a batch needs to run.
        Map<Optional<RequestId>, Long> lastRefresh = new HashMap<>();
        for (PendingDelivery d : due) {
            if (d.message().kind() == NotificationKind.REFRESH_COPIES) {
                lastRefresh.put(d.message().requestId(), d.id());
            }
        }
        Map<String, List<PendingDelivery>> lanes = new LinkedHashMap<>();
        for (PendingDelivery d : due) {
            boolean superseded = d.message().kind() == NotificationKind.REFRESH_COPIES
                    && lastRefresh.get(d.message().requestId()) != d.id();
            if (superseded) {
                ctx.outbox().delivered(d.id(), ctx.now());
            } else {
                lanes.computeIfAbsent(lane(d.message()), k -> new ArrayList<>()).add(d);
            }
        }
        if (workers == null || lanes.size() < 2) {
            lanes.values().forEach(lane -> lane.forEach(this::deliver));
        } else {
            List<Callable<Void>> tasks = new ArrayList<>();
            for (List<PendingDelivery> lane : lanes.values()) {
                tasks.add(() -> {
                    lane.forEach(this::deliver);
                    return null;
                });
            }
            for (Future<Void> done : workers.invokeAll(tasks)) {
                try {
                    done.get();
                } catch (ExecutionException e) {
                    // deliver() handles every failure of a message, so only an Error reaches here; that message
                    // stays claimed (the heartbeat renews it) until this instance stops, then goes out as in doubt
                    LOG.log(java.util.logging.Level.SEVERE, "a delivery lane failed", e.getCause());
                }
            }
        }
        return due.size();
    }

    /** Messages in one lane are delivered in order: a request's own, else a recipient's, else a conversation's. */
    private static String lane(OutboundMessage m) {
        return m.requestId().map(id -> "request:" + id.value())
                .or(() -> m.recipient().map(r -> "person:" + r.value()))
                .orElseGet(() -> "conversation:" + m.params().getOrDefault(OutboundMessage.CONVERSATION, ""));
    }

    /** Keeps this dispatcher's claims alive while it works through them (a slow platform, a long batch). */
    public void renewClaims() {
        ctx.transactions().inTransaction(() -> {
            ctx.outbox().renewClaims(ctx.now(), LEASE);
            return null;
        });
    }

    /** At a clean stop, once no delivery runs any more: see {@link dev.clearance.core.port.Outbox#releaseClaims()}. */
    public void releaseClaims() {
        ctx.transactions().inTransaction(() -> {
            ctx.outbox().releaseClaims();
            return null;
        });
    }

    /** Delivers until nothing is due (tests, and the dispatcher after a burst). */
    public int drain() {
        int total = 0;
        int n;
        while ((n = deliverDue(50)) > 0) {
            total += n;
        }
        return total;
    }

    private void deliver(PendingDelivery d) {
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
            ctx.transactions().inTransaction(() -> {
                done.write();
                ctx.outbox().delivered(d.id(), ctx.now());
                return null;
            });
        } catch (DeliveryException e) {
            int attempts = d.attempts() + 1;
            if (e.isRetryable() && attempts < MAX_ATTEMPTS) {
                Instant next = ctx.now().plus(backoff(attempts, e.retryAfter()));
                LOG.info(() -> "delivery of " + m.kind() + " (" + m.dedupeKey() + ") failed, retry " + attempts
                        + " at " + next + ": " + e.getMessage());
                ctx.transactions().inTransaction(() -> {
                    done.write(); // what did reach a platform before the failure is not posted again
                    ctx.outbox().retryAt(d.id(), next, e.getMessage());
                    return null;
                });
            } else {
                ctx.transactions().inTransaction(() -> {
                    done.write();
                    return null;
                });
                giveUp(d, e.getMessage());
            }
        } catch (RuntimeException e) {
            LOG.log(java.util.logging.Level.WARNING, "delivery of " + m.dedupeKey() + " failed unexpectedly", e);
            Instant next = ctx.now().plus(backoff(d.attempts() + 1, Optional.empty()));
            String error = e.getClass().getSimpleName() + ": " + e.getMessage();
            try {
                ctx.transactions().inTransaction(() -> {
                    done.write();
                    ctx.outbox().retryAt(d.id(), next, error);
                    return null;
                });
            } catch (RuntimeException writing) {
                // the failure may have been the write of what was done: at least the retry is kept
                ctx.outbox().retryAt(d.id(), next, error);
            }
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
                    || r.grantState() != dev.clearance.core.model.GrantState.ACTIVE).orElse(true);
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
        List<ChatChannel> route = route(person);
        if (route.isEmpty()) {
            throw DeliveryException.permanent("no chat channel reaches " + person.email()
                    + " (configured: " + String.join(", ", channelNames()) + ")");
        }
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
        String platform = m.params().get(OutboundMessage.PLATFORM);
        String conversation = m.params().get(OutboundMessage.CONVERSATION);
        ChatChannel channel = channels.stream().filter(c -> c.name().equals(platform)).findFirst()
                .orElseThrow(() -> DeliveryException.permanent("approval channel " + conversation + " is on " + platform
                        + ", which is not configured"));
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
            Optional<ChatChannel> channel = channels.stream().filter(c -> c.name().equals(copy.ref().channel())).findFirst();
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
                digest.ifPresent(d -> done.rendered.put(copy.ref(), d));
            } catch (DeliveryException e) {
                if (e.isRetryable()) {
                    retryable = e;
                } else {
                    recordFailure(r, copy.recipient(), copy.kind(), "could not update the message to "
                            + (copy.recipient() == null ? copy.ref().conversationId() : copy.recipient()) + " on "
                            + copy.ref().channel() + ": " + e.getMessage());
                }
            }
        }
        if (retryable != null) {
            throw retryable;
        }
    }

    /** Routes by the person's preference, else the first channel that knows them. */
    List<ChatChannel> route(Person person) throws DeliveryException {
        List<ChatChannel> reaching = new ArrayList<>();
        boolean preferred = !person.preferredChannels().isEmpty();
        for (ChatChannel c : channels) {
            if ((!preferred || person.preferredChannels().contains(c.name())) && c.reaches(person)) {
                reaching.add(c);
                if (!preferred) {
                    break;
                }
            }
        }
        return reaching;
    }

    private void giveUp(PendingDelivery d, String error) {
        OutboundMessage m = d.message();
        LOG.warning(() -> "giving up delivery of " + m.kind() + " (" + m.dedupeKey() + "): " + error);
        ctx.outbox().failed(d.id(), ctx.now(), error);
        m.requestId().flatMap(id -> ctx.store().find(id)).ifPresent(r -> recordFailure(r, m.recipient().orElse(null),
                m.kind(), "could not deliver " + m.kind() + " to " + m.recipient().map(UserEmail::value)
                        .orElse(m.params().getOrDefault(OutboundMessage.CONVERSATION, "?"))
                        + ": " + error));
    }

    /** On the audit trail, and (unless the failed message was itself an admin alert) to the admins. */
    private void recordFailure(AccessRequest r, UserEmail recipient, NotificationKind kind, String what) {
        Instant now = ctx.now();
        ctx.transactions().inTransaction(() -> {
            ctx.store().appendAudit(r.id(), new AuditEvent(now, AuditEvent.SYSTEM, r.status(), r.status(), what,
                    dev.clearance.core.model.Origin.SYSTEM));
            if (!kind.isAdminAlert()) {
                Approvers approvers = ctx.approvers();
                for (UserEmail admin : approvers.admins(r.scope())) {
                    if (!admin.equals(recipient)) {
                        ctx.outbox().enqueue(new OutboundMessage(NotificationKind.ADMIN_DELIVERY_FAILED,
                                Optional.of(r.id()), Optional.of(admin),
                                r.id() + ":delivery-failed:" + kind + ":" + recipient + ":" + admin,
                                Map.of("error", what)));
                    }
                }
            }
            return null;
        });
    }

    /** Exponential backoff with jitter, never sooner than the platform's Retry-After. */
    static Duration backoff(int attempt, Optional<Duration> retryAfter) {
        long base = FIRST_RETRY.toMillis() << Math.min(attempt - 1, 20);
        long capped = Math.min(base, LONGEST_RETRY.toMillis());
        long jittered = capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1);
        Duration d = Duration.ofMillis(jittered);
        return retryAfter.filter(ra -> ra.compareTo(d) > 0).orElse(d);
    }
}
