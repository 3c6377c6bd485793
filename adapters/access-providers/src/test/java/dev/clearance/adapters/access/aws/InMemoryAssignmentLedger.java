package dev.clearance.adapters.access.aws;

import dev.clearance.core.model.RequestId;

import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The ledger for the provider's unit tests: one lock, copies in and out so that a change that throws saves nothing
 * (as the database's transaction does). A second provider over the same ledger stands for a restarted instance.
 */
final class InMemoryAssignmentLedger implements AssignmentLedger {
    private final Map<String, Assignment> records = new HashMap<>();
    private final Map<String, AssignmentKey> heldBy = new HashMap<>();

    @Override
    public synchronized <T> T change(AssignmentKey key, Function<Assignment, T> change) {
        Assignment stored = records.get(key.value());
        Assignment working = stored == null ? Assignment.absent(key, Instant.EPOCH) : copy(stored);
        T result = change.apply(working);
        records.put(key.value(), copy(working));
        working.holders().forEach(h -> heldBy.put(h, key));
        return result;
    }

    @Override
    public synchronized Optional<AssignmentKey> keyOf(RequestId request) {
        return Optional.ofNullable(heldBy.get(request.value()));
    }

    @Override
    public synchronized java.util.List<Assignment> madeByClearance() {
        return records.values().stream().filter(a -> a.origin() == Assignment.Origin.CLEARANCE
                && a.state() != Assignment.State.ABSENT).map(InMemoryAssignmentLedger::copy).toList();
    }

    synchronized Assignment get(AssignmentKey key) {
        return records.get(key.value());
    }

    private static Assignment copy(Assignment a) {
        return new Assignment(a.key(), a.origin(), a.state(), a.creationRequestId(), a.deletionRequestId(),
                a.releasedBy(), a.updatedAt(), new LinkedHashSet<>(a.holders()));
    }
}
