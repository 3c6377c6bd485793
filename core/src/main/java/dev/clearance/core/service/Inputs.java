package dev.clearance.core.service;

import dev.clearance.core.model.AccessDuration;
import dev.clearance.core.model.AccessRequest;
import dev.clearance.core.model.InvalidInputException;
import dev.clearance.core.policy.Policy;

import java.util.List;
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

    /** Characters {@link dev.clearance.core.policy.GlobPattern} gives a meaning to, or refuses in a pattern. */
    private static final String GLOB_CHARACTERS = "*?[]{}\\";

    /**
     * NB: a requested resource is one exact action or name. A pattern ({@code s3:*}) would be matched by the policies'
     * globs as literal text and so slip past a specific policy ({@code s3:Delete*}) to a laxer one, while a receiver
     * reading it as an IAM pattern grants a superset of the guarded action. One line only: it is shown on cards.
     */
    static String requireResource(String value) {
        String resource = singleLine("resource", requireText("resource", value, 256));
        for (int i = 0; i < resource.length(); i++) {
            if (GLOB_CHARACTERS.indexOf(resource.charAt(i)) >= 0) {
                throw new InvalidInputException("resource", "resource must be one exact action or name: '"
                        + resource.charAt(i) + "' (a pattern character) is not allowed; ask for each action you need, "
                        + "e.g. s3:GetObject rather than s3:*");
            }
        }
        lookAlike(resource).ifPresent(why -> {
            throw new InvalidInputException("resource", "resource must be one exact action or name, written as the "
                    + "policies write it: " + why);
        });
        return resource;
    }

    /**
     * NB: policies match the resource's exact text, while approvers read it and a receiver may trim or normalise it: an
     * invisible character (U+200B before {@code s3:DeleteBucket}), a compatibility form (U+FF1A, a full-width colon)
     * or a letter of another script (U+0455, a Cyrillic s) looks like {@code s3:DeleteBucket} on the card yet escapes
     * {@code s3:Delete*} to a laxer policy. Why this resource could be such a look-alike, if it could.
     */
    static Optional<String> lookAlike(String resource) {
        java.util.Set<Character.UnicodeScript> scripts = java.util.EnumSet.noneOf(Character.UnicodeScript.class);
        for (int i = 0; i < resource.length(); ) {
            int c = resource.codePointAt(i);
            int type = Character.getType(c);
            if (type == Character.FORMAT || type == Character.CONTROL || type == Character.UNASSIGNED
                    || type == Character.PRIVATE_USE || (type == Character.SPACE_SEPARATOR && c != ' ')) {
                return Optional.of(String.format("it contains the invisible or control character U+%04X at position %d; "
                        + "remove it", c, i));
            }
            Character.UnicodeScript script = Character.UnicodeScript.of(c);
            if (script != Character.UnicodeScript.COMMON && script != Character.UnicodeScript.INHERITED) {
                scripts.add(script);
            }
            i += Character.charCount(c);
        }
        if (!java.text.Normalizer.isNormalized(resource, java.text.Normalizer.Form.NFKC)) {
            return Optional.of("it contains a compatibility form (a full-width or styled character, such as U+FF1A for "
                    + "':'); write it with plain characters");
        }
        if (scripts.size() > 1) {
            return Optional.of("it mixes letters of several scripts (" + scripts.stream().map(Enum::name).sorted()
                    .collect(Collectors.joining(", ")) + "), which can look like another resource");
        }
        return Optional.empty();
    }

    /** NB: an account is an id or name on one line: no spaces, patterns or line breaks that would mislead approvers. */
    static String requireAccount(String value) {
        String account = singleLine("account", requireText("account", value, 128));
        dev.clearance.core.policy.AccountNames.problem(account).ifPresent(p -> {
            throw new InvalidInputException("account", "account '" + account + "' is not valid: " + p);
        });
        return account;
    }

    /** NB: a line break in a one-line field would put fake lines on approvers' cards and in the log. */
    static String singleLine(String field, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\n' || c == '\r' || c == '\u0085' || c == '\u2028' || c == '\u2029') {
                throw new InvalidInputException(field, field + " must be on one line: it contains a line break at position " + i);
            }
        }
        return value;
    }

    static Optional<String> optionalText(String field, Optional<String> value, int max) {
        return value.filter(v -> !v.isBlank()).map(v -> requireText(field, v, max));
    }

    /**
     * A requester's choice: one of the menu entries the policy allows; absent means the policy's maximum (bounded,
     * unless the policy file says until-revoked for it explicitly).
     */
    static AccessDuration requesterDuration(String field, Optional<String> value, Policy policy) {
        if (value.isEmpty() || value.get().isBlank()) {
            return policy.maxDuration();
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

    /**
     * A requester's extension of {@code original}: one of the menu entries with an end, up to the policy's max and to
     * what is left of its total ({@link Extensions#choices}).
     */
    static AccessDuration extensionDuration(String field, String value, Policy policy, AccessRequest original) {
        AccessDuration d = AccessDuration.parse(field, value);
        List<AccessDuration> choices = Extensions.choices(policy, Extensions.room(policy, original));
        if (!choices.contains(d)) {
            // until revoked, or more than is left: said as such; anything else is not on the menu
            Extensions.requireFits(field, d, policy, original);
            throw new InvalidInputException(field, "choose one of " + choices.stream().map(AccessDuration::toString)
                    .collect(Collectors.joining(", ")) + " (policy '" + policy.name() + "' allows at most "
                    + policy.maxDuration() + " at a time)");
        }
        return d;
    }

    static String menu(Policy policy) {
        return AccessDuration.menuUpTo(policy.maxDuration()).stream().map(AccessDuration::toString)
                .collect(Collectors.joining(", "));
    }
}
