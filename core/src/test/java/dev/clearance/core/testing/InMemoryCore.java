package dev.clearance.core.testing;

import dev.clearance.core.model.AccessDuration;
import dev.clearance.core.model.AccessRequest;
import dev.clearance.core.model.AuditEvent;
import dev.clearance.core.model.Origin;
import dev.clearance.core.model.Person;
import dev.clearance.core.model.RequestId;
import dev.clearance.core.model.ScopePath;
import dev.clearance.core.model.Status;
import dev.clearance.core.model.UserEmail;
import dev.clearance.core.notify.OutboundMessage;
import dev.clearance.core.policy.ApproverSet;
import dev.clearance.core.policy.ApproverTree;
import dev.clearance.core.policy.ClearanceConfig;
import dev.clearance.core.policy.ConfiguredDirectory;
import dev.clearance.core.policy.Intervals;
import dev.clearance.core.policy.Limits;
import dev.clearance.core.policy.Policy;
import dev.clearance.core.policy.Scope;
import dev.clearance.core.policy.UnknownAccounts;
import dev.clearance.core.port.LifecycleMetrics;
import dev.clearance.core.port.Outbox;
import dev.clearance.core.port.Page;
import dev.clearance.core.port.PendingFilter;
import dev.clearance.core.port.RequestQuery;
import dev.clearance.core.port.RequestStore;
import dev.clearance.core.port.TimerKind;
import dev.clearance.core.port.TimerScheduler;
import dev.clearance.core.port.Transactions;
import dev.clearance.core.service.AccessRequestService;
import dev.clearance.core.service.Commands;
import dev.clearance.core.service.LifecycleContext;
import dev.clearance.core.service.RequestQueries;
import dev.clearance.core.service.RequestViews;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The real application services over small stateful fakes of the core's ports, for in-process adapter tests. The
 * organisation: scope org (approver olga, admin root) above org/prod (approver pat, account 123456789012); bob and sam
 * approve nothing. Everyone's Slack id (U and their name in capitals) and Entra object id (aad- and their name) are declared
 * in the policy file.
 */
public final class InMemoryCore {
    public final Clock clock = Clock.fixed(Instant.parse("2026-03-02T09:00:00Z"), ZoneOffset.UTC);
    public final Store store = new Store();
    public final List<OutboundMessage> outbox = new ArrayList<>();
    public final Map<String, Instant> timers = new LinkedHashMap<>();
    public final ClearanceConfig config = config();
    public final ConfiguredDirectory directory = new ConfiguredDirectory(config);
    public final LifecycleContext ctx;
    public final AccessRequestService service;
    public final RequestQueries queries;
    public final RequestViews views;

    public InMemoryCore() {
        Outbox box = new Outbox() {
            @Override
            public void enqueue(OutboundMessage m) {
                outbox.add(m);
            }

            @Override
            public List<PendingDelivery> claimDue(Instant now, int limit, Duration lease) {
                return List.of();
            }

            @Override
            public void delivered(long id, Instant at) {
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
        ctx = new LifecycleContext(store, box, scheduler, tx, () -> config, directory, clock, LifecycleMetrics.NONE);
        service = new AccessRequestService(ctx);
        queries = new RequestQueries(ctx);
        views = new RequestViews(() -> config, directory, clock, store);
    }

    /** A request by {@code requester} with a justification: PENDING, waiting for olga (or root). */
    public String pending(String requester, String resource) {
        return service.intake(new Commands.Intake(UserEmail.of(requester + "@example.com"), resource, "210987654321", Optional.empty(),
                Optional.of("1h"), Optional.of("debugging"), Optional.of("api"), Optional.empty(), Origin.api("test")))
                .request().id().value();
    }

    public Status status(String id) {
        return store.find(new RequestId(id)).orElseThrow().status();
    }

    private static UserEmail e(String local) {
        return UserEmail.of(local + "@example.com");
    }

    private static ApproverSet users(String... locals) {
        return new ApproverSet(java.util.Arrays.stream(locals).map(InMemoryCore::e).collect(Collectors.toSet()), Set.of(), false);
    }

    private static ClearanceConfig config() {
        Map<UserEmail, Person> people = new LinkedHashMap<>();
        for (String name : List.of("bob", "olga", "pat", "sam", "root")) {
            people.put(e(name), new Person(e(name), name, Map.of("slack", "U" + name.toUpperCase(java.util.Locale.ROOT),
                    "teams", "aad-" + name), List.of()));
        }
        Map<ScopePath, Scope> scopes = new LinkedHashMap<>();
        scopes.put(ScopePath.of("org"), new Scope(ScopePath.of("org"), users("olga"), users("root"), Set.of()));
        scopes.put(ScopePath.of("org/prod"), new Scope(ScopePath.of("org/prod"), users("pat"), users(), Set.of("123456789012")));
        return new ClearanceConfig(people, Map.of(), new ApproverTree(ScopePath.of("org"), scopes), List.of(),
                Policy.defaultPolicy(AccessDuration.parse("8h")), Intervals.defaults(), UnknownAccounts.ROOT, Limits.none());
    }

    /** Keeps each request as the services left it; the services re-read it through {@link #find} for every command. */
    public static final class Store implements RequestStore {
        private final Map<RequestId, AccessRequest> rows = new LinkedHashMap<>();
        public final List<AuditEvent> appended = new ArrayList<>();

        @Override
        public Optional<AccessRequest> find(RequestId id) {
            return Optional.ofNullable(rows.get(id));
        }

        @Override
        public void insert(AccessRequest r) {
            if (r.uniquenessKey().isPresent() && rows.values().stream().anyMatch(o -> o.uniquenessKey().equals(r.uniquenessKey()))) {
                throw new DuplicateActiveRequestException();
            }
            r.drainNewEvents();
            r.drainNewVotes();
            rows.put(r.id(), r);
        }

        @Override
        public void update(AccessRequest r) {
            r.drainNewEvents();
            r.drainNewVotes();
            rows.put(r.id(), r);
        }

        @Override
        public void appendAudit(RequestId id, AuditEvent event) {
            appended.add(event);
        }

        @Override
        public Optional<AccessRequest> findActive(UserEmail requester, String resource, String account) {
            String key = AccessRequest.uniquenessKey(requester, resource, account);
            return rows.values().stream().filter(r -> r.uniquenessKey().filter(key::equals).isPresent()).findFirst();
        }

        @Override
        public Optional<AccessRequest> findByIdempotencyKey(String key) {
            return rows.values().stream().filter(r -> key.equals(r.idempotencyKey())).findFirst();
        }

        @Override
        public List<AccessRequest> findExtensionsOf(RequestId original) {
            return rows.values().stream().filter(r -> r.extensionOf().filter(original::equals).isPresent()).toList();
        }

        @Override
        public Page<AccessRequest> search(RequestQuery q) {
            List<AccessRequest> all = rows.values().stream()
                    .filter(r -> q.statuses().isEmpty() || q.statuses().contains(r.status()))
                    .filter(r -> q.requester().map(r.requester()::equals).orElse(true)).toList();
            int from = Math.min(all.size(), q.page() * q.size());
            return new Page<>(all.subList(from, Math.min(all.size(), from + q.size())), q.page(), q.size(), all.size());
        }

        /** Every open request, newest first: a superset of the filter's, which the service narrows row by row. */
        @Override
        public List<AccessRequest> pendingCandidates(PendingFilter f, Optional<PendingFilter.After> after, int limit) {
            return rows.values().stream()
                    .filter(r -> r.status() == Status.REQUESTED || r.status() == Status.PENDING)
                    .sorted(Comparator.comparing(AccessRequest::createdAt).thenComparing(r -> r.id().value()).reversed())
                    .filter(r -> after.map(a -> r.createdAt().isBefore(a.createdAt())
                            || (r.createdAt().equals(a.createdAt()) && r.id().value().compareTo(a.id().value()) < 0)).orElse(true))
                    .limit(limit).toList();
        }

        @Override
        public int countOpen(UserEmail requester) {
            return (int) rows.values().stream().filter(r -> r.requester().equals(requester))
                    .filter(r -> r.status() == Status.REQUESTED || r.status() == Status.PENDING).count();
        }

        @Override
        public List<Instant> createdSince(UserEmail requester, Instant since, int limit) {
            return rows.values().stream().filter(r -> r.requester().equals(requester) && r.createdAt().isAfter(since))
                    .map(AccessRequest::createdAt).limit(limit).toList();
        }

        @Override
        public Optional<Instant> lastDenial(UserEmail requester, String resource, String account, Instant since) {
            return Optional.empty();
        }

        @Override
        public List<AccessRequest> findAllActive(int limit) {
            return rows.values().stream().filter(r -> r.status().isActive()).limit(limit).toList();
        }
    }
}
