package dev.clearance.core.service;

import dev.clearance.core.model.AccessDuration;
import dev.clearance.core.model.InvalidInputException;
import dev.clearance.core.policy.Policy;

import java.util.Optional;
import java.util.stream.Collectors;

/** Validation of user input; each failure names the field and what to fix. */
final class Inputs {
    static final int MAX_TEXT = 3000;

    private Inputs() {
    }

    static String requireText(String field, String value, int max) {
        if (value == null || value.isBlank()) {
            throw new InvalidInputException(field, field + " is required");
        }
        String v = value.strip();
        if (v.length() > max) {
            throw new InvalidInputException(field, field + " is " + v.length() + " characters long; at most " + max + " are allowed");
        }
        return v;
    }

    static Optional<String> optionalText(String field, Optional<String> value, int max) {
        return value.filter(v -> !v.isBlank()).map(v -> requireText(field, v, max));
    }

    /** A requester's choice: one of the menu entries the policy allows; absent means "until revoked", capped. */
    static AccessDuration requesterDuration(String field, Optional<String> value, Policy policy) {
        if (value.isEmpty() || value.get().isBlank()) {
            AccessDuration wanted = AccessDuration.UNTIL_REVOKED;
            return wanted.exceeds(policy.maxDuration()) ? policy.maxDuration() : wanted;
        }
        AccessDuration d = AccessDuration.parse(field, value.get());
        if (!AccessDuration.MENU.contains(d) || d.exceeds(policy.maxDuration())) {
            throw new InvalidInputException(field, "choose one of " + menu(policy) + " (policy '" + policy.name()
                    + "' allows at most " + policy.maxDuration() + ")");
        }
        return d;
    }

    /** An approver's override: any positive value up to the policy's max. */
    static Optional<AccessDuration> approverDuration(String field, Optional<String> value, Policy policy) {
        if (value.isEmpty() || value.get().isBlank()) {
            return Optional.empty();
        }
        AccessDuration d = AccessDuration.parse(field, value.get());
        if (d.exceeds(policy.maxDuration())) {
            throw new InvalidInputException(field, d + " exceeds the maximum of policy '" + policy.name() + "' ("
                    + policy.maxDuration() + ")");
        }
        if (d.duration().filter(x -> x.compareTo(AccessDuration.SHORTEST) < 0).isPresent()) {
            throw new InvalidInputException(field, "a duration must be at least 1 minute");
        }
        return Optional.of(d);
    }

    static String menu(Policy policy) {
        return AccessDuration.menuUpTo(policy.maxDuration()).stream().map(AccessDuration::toString)
                .collect(Collectors.joining(", "));
    }
}
