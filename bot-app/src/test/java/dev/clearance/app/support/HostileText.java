package dev.clearance.app.support;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Generates text that real clients do send and text that only broken or hostile ones do: NUL and other controls,
 * unpaired surrogates, emoji, right-to-left marks, markup and mention syntax, JSON and SQL metacharacters, very
 * long strings. Seeded, so a failing case is reproduced by its seed (printed in the assertion).
 *
 * <p>Property-based tests here use this generator rather than jqwik: jqwik 1.10 targets JUnit Platform 1.x
 * (this build runs Platform 6) and its authors ask that it not be used by AI coding agents.
 */
public final class HostileText {
    private static final List<String> EDGES = List.of("", " ", "\u0000", "a\u0000b", "\u0001", "\u001b[31mred", "\r",
            "line\r\nbreak", "\t", "\u007f", "\u0085", "\u2028", "\ud800", "x\udc00y", "\udbff\udfff", "😀", "\u202eevil",
            "<!channel>", "<@U123|x>", "<https://evil.example|click>", "<at>Pat</at>", "[link](https://evil.example)",
            "'; DROP TABLE access_request; --", "\"}", "{{form.x}}", "%00", "..\\..\\etc", "REQ-00000000",
            "a".repeat(3001), "é".repeat(500), "null", "true", "-1", "1h", "until-revoked", "PT0S", "999999999d");
    private static final char[] ALPHABET = ("abcXYZ019 -_:/@.<>&\"'\\{}[]%\u0000\u0001\u0007\u001f\t\n\r\u007f"
            + "\u00e9\u4e2d\u202e\ud83d\ude00\ud800\udc00").toCharArray();
    private final Random random;
    private final long seed;

    public HostileText(long seed) {
        this.seed = seed;
        this.random = new Random(seed);
    }

    public long seed() {
        return seed;
    }

    /** The edge cases first, then random strings over a hostile alphabet. */
    public List<String> samples(int count) {
        List<String> out = new ArrayList<>(EDGES);
        while (out.size() < count) {
            out.add(next());
        }
        return out;
    }

    public String next() {
        int length = random.nextInt(10) == 0 ? random.nextInt(4000) : random.nextInt(40);
        StringBuilder s = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            s.append(ALPHABET[random.nextInt(ALPHABET.length)]);
        }
        return s.toString();
    }

    public int pick(int bound) {
        return random.nextInt(bound);
    }

    /** Whether Clearance must refuse this as text: a control other than newline and tab, or an unpaired surrogate. */
    public static boolean forbidden(String s) {
        String t = s.replace("\r\n", "\n");
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c < 0x20 && c != '\n' && c != '\t') {
                return true;
            }
            if (Character.isHighSurrogate(c) && i + 1 < t.length() && Character.isLowSurrogate(t.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    /** A JSON string literal that carries any UTF-16 content, unpaired surrogates included, as \\u escapes. */
    public static String json(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || c > 0x7e) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
