package dev.clearance.core.model;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How long access lasts: a positive duration, or until an administrator revokes it.
 * Written {@code 15m}, {@code 1h}, {@code 1d}, {@code until-revoked}, or ISO-8601 such as {@code PT1H}.
 */
public final class AccessDuration implements Comparable<AccessDuration> {
    public static final AccessDuration UNTIL_REVOKED = new AccessDuration(null);
    /** What a requester may choose from, before the policy's cap. */
    public static final List<AccessDuration> MENU = List.of(
            of(Duration.ofMinutes(15)), of(Duration.ofHours(1)), of(Duration.ofHours(4)), of(Duration.ofHours(8)),
            of(Duration.ofDays(1)), of(Duration.ofDays(3)), of(Duration.ofDays(7)), UNTIL_REVOKED);
    public static final Duration SHORTEST = Duration.ofMinutes(1);

    private static final Pattern SHORT = Pattern.compile("^(\\d{1,6})([mhd])$");
    private final Duration duration;

    private AccessDuration(Duration duration) {
        this.duration = duration;
    }

    public static AccessDuration of(Duration duration) {
        if (duration == null || duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("a duration must be positive");
        }
        return new AccessDuration(duration);
    }

    /** Parses {@code 15m}, {@code 2h}, {@code 3d}, {@code until-revoked} or ISO-8601. */
    public static AccessDuration parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("a duration is required");
        }
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("until-revoked") || t.equals("until revoked")) {
            return UNTIL_REVOKED;
        }
        Matcher m = SHORT.matcher(t);
        Duration d;
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            d = switch (m.group(2)) {
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        } else {
            try {
                d = Duration.parse(text.trim().toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("'" + text + "' is not a duration: write 15m, 1h, 4h, 8h, 1d, 3d, 7d, until-revoked or ISO-8601 such as PT1H");
            }
        }
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("'" + text + "' is not a positive duration");
        }
        return new AccessDuration(d);
    }

    /** Parses user input, reporting a bad value against the given field. */
    public static AccessDuration parse(String field, String text) {
        try {
            return parse(text);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(field, e.getMessage());
        }
    }

    public boolean isUntilRevoked() {
        return duration == null;
    }

    public Optional<Duration> duration() {
        return Optional.ofNullable(duration);
    }

    public boolean exceeds(AccessDuration cap) {
        return compareTo(cap) > 0;
    }

    /** The menu entries a policy with this cap offers. */
    public static List<AccessDuration> menuUpTo(AccessDuration cap) {
        return MENU.stream().filter(d -> !d.exceeds(cap)).toList();
    }

    @Override
    public int compareTo(AccessDuration o) {
        if (duration == null) {
            return o.duration == null ? 0 : 1;
        }
        return o.duration == null ? -1 : duration.compareTo(o.duration);
    }

    /** The short form used in the API and in messages: {@code 90m}, {@code 4h}, {@code 3d}, {@code until-revoked}. */
    @Override
    public String toString() {
        if (duration == null) {
            return "until-revoked";
        }
        long seconds = duration.getSeconds();
        if (seconds % 86_400 == 0) {
            return seconds / 86_400 + "d";
        }
        if (seconds % 3_600 == 0) {
            return seconds / 3_600 + "h";
        }
        if (seconds % 60 == 0) {
            return seconds / 60 + "m";
        }
        return duration.toString();
    }

    /** Words for people: "1 hour", "3 days", "until revoked". */
    public String describe() {
        if (duration == null) {
            return "until revoked";
        }
        String s = toString();
        char unit = s.charAt(s.length() - 1);
        String number = s.substring(0, s.length() - 1);
        String word = switch (unit) {
            case 'd' -> "day";
            case 'h' -> "hour";
            case 'm' -> "minute";
            default -> null;
        };
        if (word == null) {
            return s;
        }
        return number + " " + word + (number.equals("1") ? "" : "s");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AccessDuration other && compareTo(other) == 0;
    }

    @Override
    public int hashCode() {
        return duration == null ? 0 : duration.hashCode();
    }
}
