package dev.clearance.app.access;

import dev.clearance.adapters.access.aws.Assignment;
import dev.clearance.adapters.access.aws.AssignmentKey;
import dev.clearance.adapters.access.aws.AssignmentLedger;
import dev.clearance.core.model.RequestId;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The IAM Identity Center ledger in the application's database (V13). A change locks the assignment's row
 * ({@code SELECT … FOR UPDATE}), so two instances granting or revoking the same assignment take turns.
 */
public class JdbcAssignmentLedger implements AssignmentLedger {
    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final Clock clock;

    public JdbcAssignmentLedger(JdbcClient jdbc, PlatformTransactionManager transactions, Clock clock) {
        this.jdbc = jdbc;
        this.tx = new TransactionTemplate(transactions);
        // its own transaction: what was asked of AWS is recorded even if a caller's transaction rolls back
        this.tx.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.clock = clock;
    }

    @Override
    public <T> T change(AssignmentKey key, Function<Assignment, T> change) {
        ensureRow(key);
        return tx.execute(status -> {
            Assignment before = jdbc.sql("SELECT * FROM aws_assignment WHERE assignment_key = ? FOR UPDATE")
                    .param(key.value()).query((rs, n) -> new Assignment(key, Assignment.Origin.valueOf(rs.getString("origin")),
                            Assignment.State.valueOf(rs.getString("state")), rs.getString("creation_request_id"),
                            rs.getString("deletion_request_id"), rs.getString("released_by"),
                            rs.getObject("updated_at", OffsetDateTime.class).toInstant(), Set.of()))
                    .single();
            Set<String> holdersBefore = new LinkedHashSet<>(jdbc.sql(
                            "SELECT request_id FROM aws_assignment_holder WHERE assignment_key = ? AND holding = TRUE ORDER BY since, request_id")
                    .param(key.value()).query(String.class).list());
            Assignment working = new Assignment(key, before.origin(), before.state(), before.creationRequestId(),
                    before.deletionRequestId(), before.releasedBy(), before.updatedAt(), holdersBefore);
            T result = change.apply(working);
            jdbc.sql("""
                            UPDATE aws_assignment SET origin = ?, state = ?, creation_request_id = ?, deletion_request_id = ?,
                                   released_by = ?, updated_at = ?
                            WHERE assignment_key = ?""")
                    .params(working.origin().name(), working.state().name(), working.creationRequestId(),
                            working.deletionRequestId(), working.releasedBy(), bind(working.updatedAt()), key.value())
                    .update();
            Set<String> released = new HashSet<>(holdersBefore);
            released.removeAll(working.holders());
            for (String r : released) {
                jdbc.sql("UPDATE aws_assignment_holder SET holding = FALSE WHERE request_id = ?").param(r).update();
            }
            for (String r : working.holders()) {
                if (!holdersBefore.contains(r)) {
                    hold(r, key);
                }
            }
            return result;
        });
    }

    private void hold(String requestId, AssignmentKey key) {
        OffsetDateTime now = bind(clock.instant());
        int updated = jdbc.sql("UPDATE aws_assignment_holder SET assignment_key = ?, holding = TRUE, since = ? WHERE request_id = ?")
                .params(key.value(), now, requestId).update();
        if (updated == 0) {
            jdbc.sql("INSERT INTO aws_assignment_holder (request_id, assignment_key, holding, since) VALUES (?, ?, TRUE, ?)")
                    .params(requestId, key.value(), now).update();
        }
    }

    /** The assignment's row exists before it is locked; inserted in a transaction of its own, as two may race. */
    private void ensureRow(AssignmentKey key) {
        boolean exists = jdbc.sql("SELECT COUNT(*) FROM aws_assignment WHERE assignment_key = ?").param(key.value())
                .query(Long.class).single() > 0;
        if (exists) {
            return;
        }
        try {
            tx.executeWithoutResult(status -> jdbc.sql("""
                            INSERT INTO aws_assignment (assignment_key, instance_arn, account_id, permission_set_arn, principal_id,
                                                        origin, state, updated_at)
                            VALUES (?, ?, ?, ?, ?, 'CLEARANCE', 'ABSENT', ?)""")
                    .params(key.value(), key.instanceArn(), key.accountId(), key.permissionSetArn(), key.principalId(),
                            bind(clock.instant())).update());
        } catch (DuplicateKeyException raced) {
            // another grant of the same assignment inserted it first: it is there to lock
        }
    }

    @Override
    public Optional<AssignmentKey> keyOf(RequestId request) {
        List<AssignmentKey> keys = jdbc.sql("""
                        SELECT a.instance_arn, a.account_id, a.permission_set_arn, a.principal_id
                        FROM aws_assignment_holder h JOIN aws_assignment a ON a.assignment_key = h.assignment_key
                        WHERE h.request_id = ?""")
                .param(request.value())
                .query((rs, n) -> new AssignmentKey(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)))
                .list();
        return keys.stream().findFirst();
    }

    @Override
    public List<Assignment> madeByClearance() {
        List<Assignment> made = jdbc.sql("SELECT * FROM aws_assignment WHERE origin = 'CLEARANCE' AND state <> 'ABSENT'"
                        + " ORDER BY assignment_key")
                .query((rs, n) -> new Assignment(new AssignmentKey(rs.getString("instance_arn"), rs.getString("account_id"),
                        rs.getString("permission_set_arn"), rs.getString("principal_id")),
                        Assignment.Origin.valueOf(rs.getString("origin")), Assignment.State.valueOf(rs.getString("state")),
                        rs.getString("creation_request_id"), rs.getString("deletion_request_id"), rs.getString("released_by"),
                        rs.getObject("updated_at", OffsetDateTime.class).toInstant(), Set.of()))
                .list();
        List<Assignment> withHolders = new java.util.ArrayList<>();
        for (Assignment a : made) {
            Set<String> holders = new LinkedHashSet<>(jdbc.sql("SELECT request_id FROM aws_assignment_holder"
                            + " WHERE assignment_key = ? AND holding = TRUE ORDER BY since, request_id")
                    .param(a.key().value()).query(String.class).list());
            withHolders.add(new Assignment(a.key(), a.origin(), a.state(), a.creationRequestId(), a.deletionRequestId(),
                    a.releasedBy(), a.updatedAt(), holders));
        }
        return withHolders;
    }

    private static OffsetDateTime bind(Instant i) {
        return OffsetDateTime.ofInstant(i, ZoneOffset.UTC);
    }
}
