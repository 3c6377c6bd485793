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
    /**
     * The longest a duration may be written (a policy's maximum, a request, an approver's override): a year and a day.
     * NB: every duration any channel accepts is bounded, so no end computed from one can overflow an instant.
     */
    public static final Duration LONGEST = Duration.ofDays(366);
    public static final AccessDuration UNTIL_REVOKED = new AccessDuration(null);
    /** What a requester may choose from, before the policy's cap. */
    public static final List<AccessDuration> MENU = List.of(
            of(Duration.ofMinutes(15)), of(Duration.ofHours(1)), of(Duration.ofHours(4)), of(Duration.ofHours(8)),
            of(Duration.ofDays(1)), of(Duration.ofDays(3)), of(Duration.ofDays(7)), UNTIL_REVOKED);
    /** The menu without "until revoked": what is offered before the policy (and whether it allows that) is known. */
    public static final List<AccessDuration> MENU_WITH_END = MENU.stream().filter(d -> !d.isUntilRevoked()).toList();
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
        if (duration.compareTo(LONGEST) > 0) {
            throw new IllegalArgumentException("a duration may be at most " + LONGEST.toDays() + " days");
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
            } catch (DateTimeParseException | ArithmeticException e) {
                throw new IllegalArgumentException("'" + text + "' is not a duration: write 15m, 1h, 4h, 8h, 1d, 3d, 7d, until-revoked or ISO-8601 such as PT1H");
            }
        }
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("'" + text + "' is not a positive duration");
        }
        if (d.compareTo(LONGEST) > 0) {
            throw new IllegalArgumentException("'" + text + "' is too long: a duration may be at most "
                    + LONGEST.toDays() + " days (366d)");
        }
        return new AccessDuration(d);
    }

    /**
     * A duration as the store kept it. Rows written before durations were bounded (issue 20) may hold more than
     * {@link #LONGEST}, up to values whose end overflows; such a row is read as {@link #LONGEST} rather than refused,
     * so the request stays readable and its grant ends (the longest any duration may now be) instead of its timer
     * failing for ever.
     */
    public static AccessDuration restore(String stored) {
        try {
            return parse(stored);
        } catch (IllegalArgumentException refused) {
            String t = stored == null ? "" : stored.trim().toUpperCase(Locale.ROOT);
            // only a number of days, hours or minutes, or an ISO-8601 duration, that was too long or overflowed
            if (t.matches("^\\d{1,19}[MHD]$") || t.matches("^PT?[0-9DHMS.]+$")) {
                return new AccessDuration(LONGEST);
            }
            throw refused;
        }
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

    /** Twice this duration (until revoked stays until revoked): the default total of a grant and its extensions. */
    public AccessDuration twice() {
        return duration == null ? this : new AccessDuration(duration.multipliedBy(2));
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

    /** Any span for people, to the minute (rounded down): "2 days", "1 day, 3 hours and 5 minutes", "0 minutes". */
    public static String words(Duration d) {
        long minutes = Math.max(0, d.toMinutes());
        List<String> parts = new java.util.ArrayList<>();
        long days = minutes / 1440;
        long hours = minutes % 1440 / 60;
        long mins = minutes % 60;
        if (days > 0) {
            parts.add(days + (days == 1 ? " day" : " days"));
        }
        if (hours > 0) {
            parts.add(hours + (hours == 1 ? " hour" : " hours"));
        }
        if (mins > 0 || parts.isEmpty()) {
            parts.add(mins + (mins == 1 ? " minute" : " minutes"));
        }
        return parts.size() == 1 ? parts.get(0)
                : String.join(", ", parts.subList(0, parts.size() - 1)) + " and " + parts.get(parts.size() - 1);
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
