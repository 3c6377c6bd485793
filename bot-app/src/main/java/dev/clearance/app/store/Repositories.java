package dev.clearance.app.store;

import org.springframework.data.repository.CrudRepository;

import java.util.List;
import java.util.Optional;

interface AccessRequestRows extends CrudRepository<AccessRequestRow, String> {
    Optional<AccessRequestRow> findByActiveKey(String activeKey);

    java.util.List<AccessRequestRow> findByExtensionOfOrderByCreatedAt(String extensionOf);

    Optional<AccessRequestRow> findByIdempotencyKey(String idempotencyKey);
}

interface AuditEventRows extends CrudRepository<AuditEventRow, Long> {
    List<AuditEventRow> findByRequestIdOrderById(String requestId);
}

interface ApprovalVoteRows extends CrudRepository<ApprovalVoteRow, Long> {
    List<ApprovalVoteRow> findByRequestIdOrderById(String requestId);
}
