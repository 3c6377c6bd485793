package dev.clearance.core.service;

import dev.clearance.core.model.AccessRequest;
import dev.clearance.core.model.AuditEvent;
import dev.clearance.core.model.ConcurrentUpdateException;
import dev.clearance.core.model.RequestId;
import dev.clearance.core.model.ScopePath;
import dev.clearance.core.model.Status;
import dev.clearance.core.model.UserEmail;
import dev.clearance.core.notify.OutboundMessage;
import dev.clearance.core.policy.ClearanceConfig;
import dev.clearance.core.policy.ConfiguredDirectory;
import dev.clearance.core.port.AccessGrant;
import dev.clearance.core.port.AccessProvider;
import dev.clearance.core.port.LifecycleMetrics;
import dev.clearance.core.port.Outbox;
import dev.clearance.core.port.Page;
import dev.clearance.core.port.PendingFilter;
import dev.clearance.core.port.RequestQuery;
import dev.clearance.core.port.RequestStore;
import dev.clearance.core.port.TimerKind;
import dev.clearance.core.port.TimerScheduler;
import dev.clearance.core.port.Transactions;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/** Unit-test doubles for the ports; the Spring tests use the real JDBC, Quartz and outbox implementations. */
public final class InMemoryPorts {
    public final MutableClock clock = new MutableClock(Instant.parse("2026-03-02T09:00:00Z"));
    public final Store store = new Store();
    final List<OutboundMessage> outbox = new ArrayList<>();
    /** Outbox positions handed out by {@code claimDue} so far, and those marked delivered. */
    private int claimed;
    final java.util.Set<Long> delivered = java.util.concurrent.ConcurrentHashMap.newKeySet();
    final Map<String, Instant> timers = new LinkedHashMap<>();
    final RecordingProvider provider = new RecordingProvider();
    public final LifecycleContext ctx;
    public final AccessRequestService service;
    final LifecycleTimers lifecycleTimers;
    final Reconciliation reconciliation;

    public InMemoryPorts(ClearanceConfig config) {
        Outbox box = new Outbox() {
            @Override
            public void enqueue(OutboundMessage m) {
                if (outbox.stream().noneMatch(o -> o.dedupeKey().equals(m.dedupeKey()))) {
                    outbox.add(m);
                }
            }

            /** Claims each message once, in enqueue order; ids are positions in {@code outbox}. */
            @Override
            public List<PendingDelivery> claimDue(Instant now, int limit, Duration lease) {
                List<PendingDelivery> due = new ArrayList<>();
                for (int i = claimed; i < outbox.size() && due.size() < limit; i++) {
                    due.add(new PendingDelivery(i, outbox.get(i), 0, Optional.empty()));
                }
                claimed += due.size();
                return due;
            }

            @Override
            public void delivered(long id, Instant at) {
                delivered.add(id);
            }

            @Override
            public void retryAt(long id, Instant next, String error) {
            }

            @Override
            public void failed(long id, Instant at, String error) {
            }

            @Override
            public long backlog() {
                return outbox.size();
            }
        };
        TimerScheduler scheduler = new TimerScheduler() {
            @Override
            public void schedule(RequestId id, TimerKind kind, Instant at) {
                timers.put(id + "/" + kind, at);
            }

            @Override
            public void cancel(RequestId id, TimerKind kind) {
                timers.remove(id + "/" + kind);
            }
        };
        Transactions tx = new Transactions() {
            @Override
            public <T> T inTransaction(Supplier<T> work) {
                return work.get();
            }
        };
        ctx = new LifecycleContext(store, box, scheduler, tx, () -> config, new ConfiguredDirectory(config), clock,
                LifecycleMetrics.NONE);
        service = new AccessRequestService(ctx);
        lifecycleTimers = new LifecycleTimers(ctx, provider);
        reconciliation = new Reconciliation(ctx, provider);
    }

    /** Walks the clock forward, firing each timer at its due time, in due order, as the scheduler would. */
    void advance(Duration d) {
        Instant target = clock.instant().plus(d);
        while (true) {
            Optional<Map.Entry<String, Instant>> due = timers.entrySet().stream()
                    .filter(t -> !t.getValue().isAfter(target))
                    .min(Map.Entry.comparingByValue());
            if (due.isEmpty()) {
                clock.set(target);
                return;
            }
            if (due.get().getValue().isAfter(clock.instant())) {
                clock.set(due.get().getValue());
            }
            timers.remove(due.get().getKey());
            String[] parts = due.get().getKey().split("/");
            lifecycleTimers.fire(new RequestId(parts[0]), TimerKind.valueOf(parts[1]), due.get().getValue());
        }
    }

    List<OutboundMessage> messagesTo(String email) {
        return outbox.stream().filter(m -> m.recipient().map(UserEmail::value).filter(email::equals).isPresent()).toList();
    }

    public static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void set(Instant instant) {
            now = instant;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    /** Keeps copies, so a stale read really is stale; enforces the version like the JDBC store. */
    public static final class Store implements RequestStore {
        private final Map<RequestId, AccessRequest> rows = new HashMap<>();
        private final Map<RequestId, Long> versions = new HashMap<>();

        int size() {
            return rows.size();
        }

        @Override
        public Optional<AccessRequest> find(RequestId id) {
            return Optional.ofNullable(rows.get(id)).map(r -> copy(r, versions.get(id)));
        }

        @Override
        public void insert(AccessRequest r) {
            if (r.uniquenessKey().isPresent() && rows.values().stream()
                    .anyMatch(o -> o.uniquenessKey().equals(r.uniquenessKey()))) {
                throw new DuplicateActiveRequestException();
            }
            r.drainNewEvents();
            r.drainNewVotes();
            rows.put(r.id(), copy(r, 0L));
            versions.put(r.id(), 0L);
        }

        @Override
        public void update(AccessRequest r) {
            if (!versions.get(r.id()).equals(r.version())) {
                throw new ConcurrentUpdateException(r.id());
            }
            r.drainNewEvents();
            r.drainNewVotes();
            long next = r.version() + 1;
            rows.put(r.id(), copy(r, next));
            versions.put(r.id(), next);
        }

        @Override
        public void appendAudit(RequestId id, AuditEvent event) {
            AccessRequest r = find(id).orElseThrow();
            List<AuditEvent> h = new ArrayList<>(r.history());
            h.add(event);
            rows.put(id, rebuild(r, versions.get(id)).history(h).restore());
        }

        @Override
        public Optional<AccessRequest> findActive(UserEmail requester, String resource, String account) {
            String key = AccessRequest.uniquenessKey(requester, resource, account);
            return rows.values().stream().filter(r -> r.uniquenessKey().filter(key::equals).isPresent()).findFirst()
                    .map(r -> copy(r, versions.get(r.id())));
        }

        @Override
        public Optional<AccessRequest> findByIdempotencyKey(String key) {
            return rows.values().stream().filter(r -> key.equals(r.idempotencyKey())).findFirst()
                    .map(r -> copy(r, versions.get(r.id())));
        }

        @Override
        public List<AccessRequest> findExtensionsOf(RequestId original) {
            return rows.values().stream().filter(r -> r.extensionOf().filter(original::equals).isPresent())
                    .sorted(Comparator.comparing(AccessRequest::createdAt)).map(r -> copy(r, versions.get(r.id()))).toList();
        }

        /** How many calls {@link #search} answered, and how many requests it handed out: what a listing had to read. */
        int searches;
        int searchRowsRead;

        /** Filters by status, scope and requester, as the JDBC store's query does. */
        @Override
        public Page<AccessRequest> search(RequestQuery q) {
            List<AccessRequest> all = rows.values().stream()
                    .filter(r -> q.statuses().isEmpty() || q.statuses().contains(r.status()))
                    .filter(r -> q.scopeUnder().map(s -> under(r.scope(), s)).orElse(true))
                    .filter(r -> q.requester().map(r.requester()::equals).orElse(true))
                    .sorted(Comparator.comparing(AccessRequest::createdAt).thenComparing(r -> r.id().value()).reversed())
                    .map(r -> copy(r, versions.get(r.id()))).toList();
            int from = Math.min(all.size(), q.page() * q.size());
            List<AccessRequest> page = all.subList(from, Math.min(all.size(), from + q.size()));
            searches++;
            searchRowsRead += page.size();
            return new Page<>(page, q.page(), q.size(), all.size());
        }

        @Override
        public int countOpen(UserEmail requester) {
            return (int) rows.values().stream().filter(r -> r.requester().equals(requester))
                    .filter(r -> r.status() == Status.REQUESTED || r.status() == Status.PENDING).count();
        }

        @Override
        public List<Instant> createdSince(UserEmail requester, Instant since, int limit) {
            return rows.values().stream().filter(r -> r.requester().equals(requester) && r.createdAt().isAfter(since))
                    .map(AccessRequest::createdAt).sorted(Comparator.reverseOrder()).limit(limit).toList();
        }

        @Override
        public Optional<Instant> lastDenial(UserEmail requester, String resource, String account, Instant since) {
            return rows.values().stream().filter(r -> r.requester().equals(requester) && r.status() == Status.DENIED)
                    .filter(r -> r.extensionOf().isEmpty() && r.resource().equalsIgnoreCase(resource)
                            && r.account().equalsIgnoreCase(account))
                    .map(r -> r.decidedAt().orElseThrow()).filter(at -> at.isAfter(since)).max(Comparator.naturalOrder());
        }

        @Override
        public List<AccessRequest> findAllActive(int limit) {
            return rows.values().stream().filter(r -> r.status().isActive())
                    .sorted(Comparator.comparing(AccessRequest::createdAt)).limit(limit)
                    .map(r -> copy(r, versions.get(r.id()))).toList();
        }

        /** How many requests {@link #pendingCandidates} handed out: what a "pending" listing had to read. */
        int pendingRowsRead;

        @Override
        public List<AccessRequest> pendingCandidates(PendingFilter f, Optional<PendingFilter.After> after, int limit) {
            Comparator<AccessRequest> newestFirst = Comparator.comparing(AccessRequest::createdAt)
                    .thenComparing(r -> r.id().value()).reversed();
            List<AccessRequest> hits = rows.values().stream()
                    .filter(r -> r.status() == Status.REQUESTED || r.status() == Status.PENDING)
                    .filter(r -> matches(f, r))
                    .filter(r -> after.map(a -> r.createdAt().isBefore(a.createdAt())
                            || (r.createdAt().equals(a.createdAt()) && r.id().value().compareTo(a.id().value()) < 0)).orElse(true))
                    .sorted(newestFirst).limit(limit).map(r -> copy(r, versions.get(r.id()))).toList();
            pendingRowsRead += hits.size();
            return hits;
        }

        /** The filter's meaning, as the JDBC store's query implements it. */
        static boolean matches(PendingFilter f, AccessRequest r) {
            if (r.requester().equals(f.viewer()) || f.adminScopes().stream().anyMatch(s -> under(r.scope(), s))) {
                return true;
            }
            if (r.status() != Status.PENDING || !f.now().isBefore(r.pendingDeadline().orElseThrow())) {
                return false;
            }
            return f.approverScopes().stream().anyMatch(s -> under(r.scope(), s))
                    || f.namedSteps().contains(new PendingFilter.StepRef(r.policyName(), r.currentStep()))
                    || (f.hasApproverRole() && !f.knownPolicies().contains(r.policyName()));
        }

        private static boolean under(ScopePath scope, ScopePath top) {
            return scope.equals(top) || scope.value().startsWith(top.value() + "/");
        }

        private static AccessRequest copy(AccessRequest r, Long version) {
            return rebuild(r, version).restore();
        }

        private static dev.clearance.core.model.RequestState rebuild(AccessRequest r, Long version) {
            return AccessRequest.builder().id(r.id()).requester(r.requester()).resource(r.resource()).account(r.account())
                    .scope(r.scope()).source(r.source()).policyName(r.policyName()).createdAt(r.createdAt())
                    .idempotencyKey(r.idempotencyKey()).version(version).status(r.status())
                    .extensionOf(r.extensionOf().orElse(null))
                    .requestedDuration(r.requestedDuration()).approvedDuration(r.approvedDuration().orElse(null))
                    .justification(r.justification().orElse(null)).currentStep(r.currentStep())
                    .escalationLevel(r.escalationLevel()).justificationDeadline(r.justificationDeadline().orElse(null))
                    .pendingSince(r.pendingSince().orElse(null)).pendingDeadline(r.pendingDeadline().orElse(null))
                    .decidedBy(r.decidedBy().orElse(null)).decidedAt(r.decidedAt().orElse(null))
                    .decisionReason(r.decisionReason().orElse(null)).grantState(r.grantState())
                    .providerAttempts(r.providerAttempts()).grantAttemptSince(r.grantAttemptInFlightSince().orElse(null))
                    .grantedAt(r.grantedAt().orElse(null))
                    .expiresAt(r.expiresAt().orElse(null)).revocationReason(r.revocationReason().orElse(null))
                    .providerReference(r.providerReference().orElse(null))
                    .votes(new ArrayList<>(r.votes())).history(new ArrayList<>(r.history()));
        }
    }

    /**
     * A stateful fake provider: what it holds for each request (a grant adds, a revoke removes), and whether it can list
     * that for reconciliation.
     */
    static final class RecordingProvider implements AccessProvider {
        final List<String> calls = new ArrayList<>();
        final java.util.Set<RequestId> holding = new java.util.LinkedHashSet<>();
        /** Whether {@code held()} answers (a webhook receiver with the reconcile call); else it cannot tell. */
        boolean canList;
        /** A failing grant call still grants (the provider acted, then the answer was lost). */
        boolean grantsEvenWhenFailing;
        int failuresLeft;
        /** Runs as each call reaches the provider, to look at what was stored by then. */
        java.util.function.Consumer<AccessGrant> onCall = g -> { };
        /** Runs once a grant or revoke has changed what the provider holds, before the call answers. */
        java.util.function.Consumer<AccessGrant> afterCall = g -> { };
        /** Appended to each description {@code held()} gives (a receiver that says a lot). */
        String descriptionTail = "";
        /** How many times {@code held()} names each entry (a receiver that repeats itself). */
        int repeatListing = 1;
        /** Runs after {@code held()} has taken its listing and before it answers (what changes meanwhile is missed). */
        Runnable onHeld = () -> { };
        /** What {@code whyCannotGrant} answers, and the note a revoke returns. */
        Optional<dev.clearance.core.port.GrantObstacle> obstacle = Optional.empty();
        String revokeNote;

        @Override
        public Optional<dev.clearance.core.port.GrantObstacle> whyCannotGrant(AccessGrant g) {
            return obstacle;
        }

        @Override
        public String name() {
            return "recording";
        }

        @Override
        public dev.clearance.core.port.ProviderResult grant(AccessGrant g) throws AccessProviderException {
            onCall.accept(g);
            if (grantsEvenWhenFailing) {
                holding.add(g.requestId());
            }
            call("grant " + g.requestId());
            holding.add(g.requestId());
            afterCall.accept(g);
            return dev.clearance.core.port.ProviderResult.of("grant-" + g.requestId(), null);
        }

        @Override
        public dev.clearance.core.port.ProviderResult revoke(AccessGrant g) throws AccessProviderException {
            onCall.accept(g);
            call("revoke " + g.requestId());
            holding.remove(g.requestId());
            afterCall.accept(g);
            return dev.clearance.core.port.ProviderResult.of(null, revokeNote);
        }

        @Override
        public void extend(AccessGrant g) throws AccessProviderException {
            onCall.accept(g);
            call("extend " + g.requestId() + " until " + g.expiresAt().orElseThrow());
        }

        @Override
        public Optional<List<dev.clearance.core.port.HeldAccess>> held() {
            if (!canList) {
                return Optional.empty();
            }
            List<dev.clearance.core.port.HeldAccess> listed = holding.stream().flatMap(id -> java.util.Collections.nCopies(
                    repeatListing, new dev.clearance.core.port.HeldAccess(id, "access for " + id + descriptionTail)).stream()).toList();
            onHeld.run();
            return Optional.of(listed);
        }

        private void call(String what) throws AccessProviderException {
            calls.add(what);
            if (failuresLeft > 0) {
                failuresLeft--;
                throw new AccessProviderException("provider down");
            }
        }
    }
}
