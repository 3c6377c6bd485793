package dev.clearance.core.model;

import java.util.Locale;
import java.util.regex.Pattern;

/** A person, identified by email address; chat identities map to it. */
public record UserEmail(String value) implements Comparable<UserEmail> {
    private static final Pattern SHAPE = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");

    public UserEmail {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("email is required");
        }
        value = value.trim().toLowerCase(Locale.ROOT);
        if (value.length() > 254 || !SHAPE.matcher(value).matches()) {
            throw new IllegalArgumentException("'" + value + "' is not an email address");
        }
    }

    public static UserEmail of(String value) {
        return new UserEmail(value);
    }

    /** Parses user input, reporting a bad value against the given field. */
    public static UserEmail parse(String field, String value) {
        try {
            return new UserEmail(value);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(field, e.getMessage());
        }
    }

    /** What another system calls a person's email, when it is one (an identity lookup's answer); else empty. */
    public static java.util.Optional<UserEmail> tryParse(String value) {
        try {
            return java.util.Optional.of(new UserEmail(value));
        } catch (IllegalArgumentException notAnEmail) {
            return java.util.Optional.empty();
        }
    }

    @Override
    public int compareTo(UserEmail o) {
        return value.compareTo(o.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
