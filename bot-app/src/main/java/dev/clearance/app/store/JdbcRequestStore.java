package dev.clearance.app.store;

import dev.clearance.core.model.AccessDuration;
import dev.clearance.core.model.AccessRequest;
import dev.clearance.core.model.AuditEvent;
import dev.clearance.core.model.ConcurrentUpdateException;
import dev.clearance.core.model.GrantState;
import dev.clearance.core.model.Origin;
import dev.clearance.core.model.RequestId;
import dev.clearance.core.model.ScopePath;
import dev.clearance.core.model.Status;
import dev.clearance.core.model.UserEmail;
import dev.clearance.core.model.Vote;
import dev.clearance.core.port.Page;
import dev.clearance.core.port.PendingFilter;
import dev.clearance.core.port.RequestQuery;
import dev.clearance.core.port.RequestStore;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@link RequestStore} on Spring Data JDBC: the request row is compare-and-swapped, audit and votes are insert-only. */
@Repository
public class JdbcRequestStore implements RequestStore {
    private final AccessRequestRows requests;
    private final AuditEventRows audit;
    private final ApprovalVoteRows votes;
    private final JdbcClient jdbc;

    JdbcRequestStore(AccessRequestRows requests, AuditEventRows audit, ApprovalVoteRows votes, JdbcClient jdbc) {
        this.requests = requests;
        this.audit = audit;
        this.votes = votes;
        this.jdbc = jdbc;
    }

    @Override
    public Optional<AccessRequest> find(RequestId id) {
        return requests.findById(id.value()).map(this::toDomain);
    }

    @Override
    public void insert(AccessRequest r) {
        try {
            AccessRequestRow saved = requests.save(toRow(r));
            CommitCheck.expect(jdbc, saved.id, saved.version);
        } catch (DuplicateKeyException e) {
            throw new DuplicateActiveRequestException();
        } catch (org.springframework.data.relational.core.conversion.DbActionExecutionException e) {
            if (e.getCause() instanceof DuplicateKeyException) {
                throw new DuplicateActiveRequestException();
            }
            throw e;
        }
        appendNew(r);
    }

    @Override
    public void update(AccessRequest r) {
        try {
            AccessRequestRow saved = requests.save(toRow(r));
            CommitCheck.expect(jdbc, saved.id, saved.version);
        } catch (OptimisticLockingFailureException e) {
            throw new ConcurrentUpdateException(r.id());
        } catch (org.springframework.data.relational.core.conversion.DbActionExecutionException e) {
            if (e.getCause() instanceof OptimisticLockingFailureException) {
                throw new ConcurrentUpdateException(r.id());
            }
            if (e.getCause() instanceof DuplicateKeyException) {
                // NB: a vote by the same approver committed concurrently: treat like a lost compare-and-swap.
                throw new ConcurrentUpdateException(r.id());
            }
            throw e;
        }
        appendNew(r);
    }

    private void appendNew(AccessRequest r) {
        for (AuditEvent e : r.drainNewEvents()) {
            appendAudit(r.id(), e);
        }
        for (Vote v : r.drainNewVotes()) {
            ApprovalVoteRow row = new ApprovalVoteRow();
            row.requestId = r.id().value();
            row.step = v.step();
            row.approver = v.approver().value();
            row.at = v.at();
            row.reason = v.reason();
            row.durationOverride = v.durationOverride() == null ? null : v.durationOverride().toString();
            try {
                votes.save(row);
            } catch (DuplicateKeyException e) {
                throw new ConcurrentUpdateException(r.id());
            }
        }
    }

    @Override
    public void appendAudit(RequestId id, AuditEvent e) {
        // Insert-only rows: a plain INSERT, without the aggregate machinery and the generated key it reads back (the
        // audit insert was 9% of an intake through Spring Data's save).
        jdbc.sql("INSERT INTO audit_event (request_id, at, actor, from_status, to_status, reason, channel, principal)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
                .params(id.value(), Timestamps.bind(e.at()), e.actor(), e.from() == null ? null : e.from().name(),
                        e.to().name(), e.reason() == null ? null : truncate(e.reason(), 4000),
                        e.via().map(Origin::channel).orElse(null), e.via().map(Origin::principal).orElse(null))
                .update();
    }

    @Override
    public Optional<AccessRequest> findActive(UserEmail requester, String resource, String account) {
        return requests.findByActiveKey(AccessRequest.uniquenessKey(requester, resource, account)).map(this::toDomain);
    }

    @Override
    public Optional<AccessRequest> findByIdempotencyKey(String key) {
        return requests.findByIdempotencyKey(key).map(this::toDomain);
    }

    @Override
    public List<AccessRequest> findExtensionsOf(RequestId original) {
        return requests.findByExtensionOfOrderByCreatedAt(original.value()).stream().map(this::toDomain).toList();
    }

    @Override
    public int countOpen(UserEmail requester) {
        return jdbc.sql("SELECT COUNT(*) FROM access_request WHERE requester = ? AND status IN ('REQUESTED', 'PENDING')")
                .params(requester.value()).query(Integer.class).single();
    }

    @Override
    public List<java.time.Instant> createdSince(UserEmail requester, java.time.Instant since, int limit) {
        return jdbc.sql("SELECT created_at FROM access_request WHERE requester = ? AND created_at > ?"
                        + " ORDER BY created_at DESC LIMIT ?")
                .params(requester.value(), Timestamps.bind(since), limit)
                .query((rs, n) -> Timestamps.read(rs, "created_at")).list();
    }

    @Override
    public Optional<java.time.Instant> lastDenial(UserEmail requester, String resource, String account, java.time.Instant since) {
        // the (requester, status, decided_at) index of V17 finds the person's recent denials; few rows to compare
        return jdbc.sql("SELECT decided_at FROM access_request WHERE requester = ? AND status = 'DENIED' AND decided_at > ?"
                        + " AND extension_of IS NULL AND LOWER(resource) = LOWER(?) AND LOWER(account) = LOWER(?)"
                        + " ORDER BY decided_at DESC LIMIT 1")
                .params(requester.value(), Timestamps.bind(since), resource, account)
                .query((rs, n) -> Timestamps.read(rs, "decided_at")).optional();
    }

    @Override
    public List<AccessRequest> findAllActive(int limit) {
        return loadInOrder(jdbc.sql("SELECT id FROM access_request WHERE status IN ('REQUESTED', 'PENDING', 'APPROVED')"
                + " ORDER BY created_at, id LIMIT ?").params(limit).query(String.class).list());
    }

    @Override
    public Page<AccessRequest> search(RequestQuery q) {
        StringBuilder where = new StringBuilder(" WHERE 1=1");
        List<Object> params = new ArrayList<>();
        if (!q.statuses().isEmpty()) {
            where.append(" AND status IN (").append(String.join(",", q.statuses().stream().map(s -> "?").toList())).append(")");
            q.statuses().stream().map(Status::name).sorted().forEach(params::add);
        }
        q.scopeUnder().ifPresent(s -> where.append(" AND ").append(scopeUnder(s, params)));
        q.requester().ifPresent(u -> {
            where.append(" AND requester = ?");
            params.add(u.value());
        });
        long total = jdbc.sql("SELECT COUNT(*) FROM access_request" + where).params(params).query(Long.class).single();
        List<Object> pageParams = new ArrayList<>(params);
        pageParams.add(q.size());
        pageParams.add((long) q.page() * q.size());
        List<String> ids = jdbc.sql("SELECT id FROM access_request" + where
                        + " ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?")
                .params(pageParams).query(String.class).list();
        return new Page<>(loadInOrder(ids), q.page(), q.size(), total);
    }

    @Override
    public List<AccessRequest> pendingCandidates(PendingFilter f, Optional<PendingFilter.After> after, int limit) {
        // NB: visibility is decided here, in the query: what a listing reads follows what the viewer may see.
        StringBuilder who = new StringBuilder("requester = ?");
        List<Object> params = new ArrayList<>();
        params.add(f.viewer().value());
        for (ScopePath s : f.adminScopes()) {
            who.append(" OR ").append(scopeUnder(s, params));
        }
        List<String> mayAct = new ArrayList<>();
        List<Object> actParams = new ArrayList<>();
        for (ScopePath s : f.approverScopes()) {
            mayAct.add(scopeUnder(s, actParams));
        }
        for (PendingFilter.StepRef step : f.namedSteps()) {
            mayAct.add("(policy_name = ? AND current_step = ?)");
            actParams.add(step.policy());
            actParams.add(step.step());
        }
        if (f.hasApproverRole() && !f.knownPolicies().isEmpty()) {
            mayAct.add("policy_name NOT IN (" + String.join(",", f.knownPolicies().stream().map(p -> "?").toList()) + ")");
            actParams.addAll(f.knownPolicies().stream().sorted().toList());
        }
        if (!mayAct.isEmpty()) {
            who.append(" OR (status = 'PENDING' AND pending_deadline > ? AND (").append(String.join(" OR ", mayAct)).append("))");
            params.add(Timestamps.bind(f.now()));
            params.addAll(actParams);
        }
        String matches = "status IN ('REQUESTED', 'PENDING') AND (" + who + ")";
        if (!f.adminScopes().isEmpty() || f.hasApproverRole()) {
            // An admin or approver usually sees most open requests, and then the filtered query below reads and
            // sorts every open one (141 ms at 106,000 open, BENCHMARKS.md) to return a handful. The newest rows are
            // read first, walking the (created_at, id) index a bounded distance: when they hold a full batch, that
            // batch is exactly the first one of the filtered query. A viewer who sees few rows falls through to it.
            List<Object> windowParams = new ArrayList<>();
            String window = "SELECT " + PENDING_COLUMNS + " FROM access_request WHERE " + after(after, windowParams)
                    + " ORDER BY created_at DESC, id DESC LIMIT ?";
            windowParams.add(limit * NEWEST_ROWS_PER_RESULT);
            windowParams.addAll(params);
            windowParams.add(limit);
            List<String> ids = jdbc.sql("SELECT id FROM (" + window + ") newest WHERE " + matches
                    + " ORDER BY created_at DESC, id DESC LIMIT ?").params(windowParams).query(String.class).list();
            if (ids.size() == limit) {
                return loadInOrder(ids);
            }
        }
        String afterLast = after(after, params);
        params.add(limit);
        return loadInOrder(jdbc.sql("SELECT id FROM access_request WHERE " + matches + " AND " + afterLast
                + " ORDER BY created_at DESC, id DESC LIMIT ?").params(params).query(String.class).list());
    }

    /** How many of the newest rows a role holder's first try reads per result it wants (see pendingCandidates). */
    private static final int NEWEST_ROWS_PER_RESULT = 20;
    /** The columns the pending filter reads. */
    private static final String PENDING_COLUMNS =
            "id, created_at, status, requester, scope, policy_name, current_step, pending_deadline";

    /** Rows strictly after the previous batch's last one, newest first; every row for the first batch. */
    private static String after(Optional<PendingFilter.After> after, List<Object> params) {
        if (after.isEmpty()) {
            return "TRUE";
        }
        params.add(Timestamps.bind(after.get().createdAt()));
        params.add(Timestamps.bind(after.get().createdAt()));
        params.add(Timestamps.bind(after.get().createdAt()));
        params.add(after.get().id().value());
        // the first condition is the index range; the rest breaks ties on id
        return "created_at <= ? AND (created_at < ? OR (created_at = ? AND id < ?))";
    }

    /** The requests with these ids, in the order of {@code ids} (a listing's order comes from its id query). */
    private List<AccessRequest> loadInOrder(List<String> ids) {
        java.util.Map<String, AccessRequest> byId = new java.util.HashMap<>();
        requests.findAllById(ids).forEach(row -> byId.put(row.id, toDomain(row)));
        return ids.stream().map(byId::get).filter(java.util.Objects::nonNull).toList();
    }

    /** {@code scope} at or below {@code top}; '_' and '%' are literal in scope paths, so they are escaped for LIKE. */
    private static String scopeUnder(ScopePath top, List<Object> params) {
        params.add(top.value());
        params.add(top.value().replace("%", "\\%").replace("_", "\\_") + "/%");
        return "(scope = ? OR scope LIKE ?)";
    }

    // ------------------------------------------------------------------ mapping

    private AccessRequestRow toRow(AccessRequest r) {
        AccessRequestRow row = new AccessRequestRow();
        row.id = r.id().value();
        row.version = r.version();
        row.requester = r.requester().value();
        row.resource = r.resource();
        row.account = r.account();
        row.scope = r.scope().value();
        row.source = r.source();
        row.policyName = r.policyName();
        row.status = r.status().name();
        row.requestedDuration = r.requestedDuration().toString();
        row.approvedDuration = r.approvedDuration().map(AccessDuration::toString).orElse(null);
        row.justification = r.justification().orElse(null);
        row.currentStep = r.currentStep();
        row.escalationLevel = r.escalationLevel();
        row.createdAt = r.createdAt();
        row.justificationDeadline = r.justificationDeadline().orElse(null);
        row.pendingSince = r.pendingSince().orElse(null);
        row.pendingDeadline = r.pendingDeadline().orElse(null);
        row.decidedBy = r.decidedBy().orElse(null);
        row.decidedAt = r.decidedAt().orElse(null);
        row.decisionReason = r.decisionReason().orElse(null);
        row.grantState = r.grantState().name();
        row.providerAttempts = r.providerAttempts();
        row.grantAttemptSince = r.grantAttemptInFlightSince().orElse(null);
        row.grantedAt = r.grantedAt().orElse(null);
        row.expiresAt = r.expiresAt().orElse(null);
        row.revocationReason = r.revocationReason().orElse(null);
        row.providerReference = r.providerReference().orElse(null);
        row.idempotencyKey = r.idempotencyKey();
        row.activeKey = r.uniquenessKey().orElse(null);
        row.extensionOf = r.extensionOf().map(RequestId::value).orElse(null);
        return row;
    }

    private AccessRequest toDomain(AccessRequestRow row) {
        List<AuditEvent> history = audit.findByRequestIdOrderById(row.id).stream()
                .map(a -> new AuditEvent(a.at, a.actor, a.fromStatus == null ? null : Status.valueOf(a.fromStatus),
                        Status.valueOf(a.toStatus), a.reason,
                        a.channel == null ? null : new Origin(a.channel, a.principal)))
                .toList();
        List<Vote> voteList = votes.findByRequestIdOrderById(row.id).stream()
                .map(v -> new Vote(v.step, UserEmail.of(v.approver), v.at, v.reason,
                        v.durationOverride == null ? null : AccessDuration.restore(v.durationOverride)))
                .toList();
        return AccessRequest.builder()
                .id(new RequestId(row.id)).version(row.version).requester(UserEmail.of(row.requester))
                .resource(row.resource).account(row.account).scope(ScopePath.of(row.scope)).source(row.source)
                .policyName(row.policyName).status(Status.valueOf(row.status))
                .requestedDuration(AccessDuration.restore(row.requestedDuration))
                .approvedDuration(row.approvedDuration == null ? null : AccessDuration.restore(row.approvedDuration))
                .justification(row.justification).currentStep(row.currentStep).escalationLevel(row.escalationLevel)
                .createdAt(row.createdAt).justificationDeadline(row.justificationDeadline).pendingSince(row.pendingSince)
                .pendingDeadline(row.pendingDeadline).decidedBy(row.decidedBy).decidedAt(row.decidedAt)
                .decisionReason(row.decisionReason).grantState(GrantState.valueOf(row.grantState))
                .providerAttempts(row.providerAttempts).grantAttemptSince(row.grantAttemptSince).grantedAt(row.grantedAt).expiresAt(row.expiresAt)
                .revocationReason(row.revocationReason).providerReference(row.providerReference).idempotencyKey(row.idempotencyKey)
                .extensionOf(row.extensionOf == null ? null : new RequestId(row.extensionOf))
                .votes(voteList).history(history)
                .restore();
    }

    @Override
    public int detectedAttempts(RequestId id) {
        return JdbcDetectedEvents.attemptsOn(jdbc, id);
    }

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
