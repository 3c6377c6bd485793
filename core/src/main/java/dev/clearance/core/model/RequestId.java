package dev.clearance.core.model;

import java.security.SecureRandom;
import java.util.regex.Pattern;

/** Identifier of an access request, short enough to type in a chat command: {@code REQ-7KQ2M9XA4B}. */
public record RequestId(String value) {
    private static final Pattern SHAPE = Pattern.compile("^REQ-[0-9A-Z]{10}$");
    private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    public RequestId {
        if (value == null || !SHAPE.matcher(value.trim().toUpperCase(java.util.Locale.ROOT)).matches()) {
            throw new IllegalArgumentException("'" + value + "' is not a request id (expected REQ- and 10 letters or digits)");
        }
        value = value.trim().toUpperCase(java.util.Locale.ROOT);
    }

    public static RequestId random() {
        char[] chars = new char[10];
        for (int i = 0; i < chars.length; i++) {
            chars[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
        }
        return new RequestId("REQ-" + new String(chars));
    }

    /** A request id typed by a user; an unknown shape is answered like an unknown id. */
    public static RequestId parse(String value) {
        try {
            return new RequestId(value);
        } catch (IllegalArgumentException e) {
            throw new NotFoundException("no request " + value);
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
