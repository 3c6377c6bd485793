package dev.clearance.core.service;

import dev.clearance.core.model.RequestId;
import dev.clearance.core.notify.NotificationKind;
import dev.clearance.core.notify.OutboundMessage;
import dev.clearance.core.port.ChatChannel;
import dev.clearance.core.port.Outbox.PendingDelivery;
import dev.clearance.core.port.SentMessages;

import java.time.Duration;
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
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Claims the outbox messages that are due and hands them out in lanes: one lane per request (else per recipient or
 * conversation), so a request's messages keep their order while different requests go out at once. Each message is
 * delivered by {@link MessageDelivery}, which routes it ({@link ChannelRouting}) and handles its failures
 * ({@link DeliveryFailures}).
 */
public final class NotificationDelivery {
    private static final Logger LOG = Logger.getLogger(NotificationDelivery.class.getName());
    /**
     * How long a claim on an outbox message lasts without renewal. Short, so that a crashed instance's messages are
     * taken over quickly; the live owner renews it every {@code LEASE / 3} (see {@link #renewClaims()}).
     */
    public static final Duration LEASE = Duration.ofSeconds(15);
    /** About a day of retries before a passing failure is treated as permanent. */
    public static final int MAX_ATTEMPTS = DeliveryFailures.MAX_ATTEMPTS;

    private final LifecycleContext ctx;
    private final ChannelRouting routing;
    private final MessageDelivery messages;

    public NotificationDelivery(LifecycleContext ctx, SentMessages sent, List<ChatChannel> channels) {
        this.ctx = ctx;
        this.routing = new ChannelRouting(channels);
        this.messages = new MessageDelivery(ctx, sent, routing);
    }

    public List<String> channelNames() {
        return routing.names();
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
            lanes.values().forEach(lane -> lane.forEach(messages::deliver));
        } else {
            List<Callable<Void>> tasks = new ArrayList<>();
            for (List<PendingDelivery> lane : lanes.values()) {
                tasks.add(() -> {
                    lane.forEach(messages::deliver);
                    return null;
                });
            }
            for (Future<Void> done : workers.invokeAll(tasks)) {
                try {
                    done.get();
                } catch (ExecutionException e) {
                    // MessageDelivery.deliver handles every failure of a message, so only an Error reaches here; that
                    // message stays claimed (the heartbeat renews it) until this instance stops, then goes out as in
                    // doubt
                    LOG.log(Level.SEVERE, "a delivery lane failed", e.getCause());
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
        ctx.transactions().run(() -> {
            ctx.outbox().renewClaims(ctx.now(), LEASE);
        });
    }

    /** At a clean stop, once no delivery runs any more: see {@link dev.clearance.core.port.Outbox#releaseClaims()}. */
    public void releaseClaims() {
        ctx.transactions().run(() -> {
            ctx.outbox().releaseClaims();
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
}
