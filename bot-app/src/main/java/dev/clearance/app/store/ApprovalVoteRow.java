package dev.clearance.app.store;

import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Table;

import java.time.Instant;

@Table("approval_vote")
class ApprovalVoteRow {
    @Id
    Long id;
    String requestId;
    int step;
    String approver;
    Instant at;
    String reason;
    String durationOverride;
}
