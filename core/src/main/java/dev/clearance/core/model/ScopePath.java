package dev.clearance.core.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** A node of the approver tree written as a path: {@code org}, {@code org/prod}, {@code org/prod/123456789012}. */
public record ScopePath(String value) {
    private static final Pattern SEGMENT = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$");

    public ScopePath {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("scope path is empty");
        }
        value = value.trim();
        for (String segment : value.split("/", -1)) {
            if (!SEGMENT.matcher(segment).matches()) {
                throw new IllegalArgumentException("scope '" + value + "' has an invalid segment '" + segment
                        + "' (letters, digits, '.', '_' and '-', separated by '/')");
            }
        }
    }

    public static ScopePath of(String value) {
        return new ScopePath(value);
    }

    public static ScopePath parse(String field, String value) {
        try {
            return new ScopePath(value);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(field, e.getMessage());
        }
    }

    public List<String> segments() {
        return Arrays.asList(value.split("/"));
    }

    public int depth() {
        return segments().size();
    }

    public Optional<ScopePath> parent() {
        int slash = value.lastIndexOf('/');
        return slash < 0 ? Optional.empty() : Optional.of(new ScopePath(value.substring(0, slash)));
    }

    /** This scope, then its parent, up to the root. */
    public List<ScopePath> selfAndAncestors() {
        List<ScopePath> chain = new ArrayList<>();
        Optional<ScopePath> current = Optional.of(this);
        while (current.isPresent()) {
            chain.add(current.get());
            current = current.get().parent();
        }
        return chain;
    }

    public boolean isSelfOrAncestorOf(ScopePath other) {
        return other.value.equals(value) || other.value.startsWith(value + "/");
    }

    @Override
    public String toString() {
        return value;
    }
}
