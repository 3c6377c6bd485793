package dev.clearance.adapters.access.aws;

import dev.clearance.core.model.RequestId;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Durable bookkeeping of the assignments Clearance grants (bot-app keeps it in the database, beside the requests).
 * It is what makes grants overlap-safe across requests, restarts and instances.
 */
public interface AssignmentLedger {
    /**
     * Runs {@code change} on the record of {@code key} (an absent one when never seen) and saves it, alone: a change
     * of the same key from another thread or instance waits until this one is saved. A runtime exception from
     * {@code change} saves nothing.
     */
    <T> T change(AssignmentKey key, Function<Assignment, T> change);

    /** The assignment this request holds or held, if it was ever granted through the ledger. */
    Optional<AssignmentKey> keyOf(RequestId request);

    /**
     * Every assignment Clearance created (or started to create, or is deleting), with the requests holding it now:
     * what reconciliation checks against AWS. Standing access (origin STANDING) and absent ones are left out.
     */
    List<Assignment> madeByClearance();
}
