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
        String v = printable(field, value.replace("\r\n", "\n")).strip();
        if (v.length() > max) {
            throw new InvalidInputException(field, field + " is " + v.length() + " characters long; at most " + max + " are allowed");
        }
        return v;
    }

    /**
     * NB: text is stored, shown to approvers and sent to chat platforms, so it must be plain: NUL and the other C0
     * controls (newline and tab excepted) and unpaired UTF-16 surrogates are refused, never silently altered.
     */
    static String printable(String field, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 && c != '\n' && c != '\t') {
                throw new InvalidInputException(field, field + " contains the control character U+"
                        + String.format("%04X", (int) c) + " at position " + i + "; remove it");
            }
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new InvalidInputException(field, field + " contains an unpaired UTF-16 surrogate at position " + i
                        + "; send valid Unicode text");
            }
        }
        return value;
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
