package dev.clearance.core.policy;

import java.util.regex.Pattern;

/** A glob with {@code *} (any run of characters) and {@code ?} (one character), matched case-insensitively. */
public final class GlobPattern {
    private static final Pattern ALLOWED = Pattern.compile("^[^\\[\\]{}\\\\]+$");
    private final String glob;
    private final Pattern regex;

    private GlobPattern(String glob, Pattern regex) {
        this.glob = glob;
        this.regex = regex;
    }

    public static GlobPattern compile(String glob) {
        if (glob == null || glob.isBlank()) {
            throw new IllegalArgumentException("a glob pattern must not be empty");
        }
        if (!ALLOWED.matcher(glob).matches()) {
            throw new IllegalArgumentException("glob '" + glob + "' may only use '*' and '?' as wildcards ('[', ']', '{', '}' and '\\' are not supported)");
        }
        StringBuilder sb = new StringBuilder("^");
        StringBuilder literal = new StringBuilder();
        for (char c : glob.toCharArray()) {
            if (c == '*' || c == '?') {
                if (!literal.isEmpty()) {
                    sb.append(Pattern.quote(literal.toString()));
                    literal.setLength(0);
                }
                sb.append(c == '*' ? ".*" : ".");
            } else {
                literal.append(c);
            }
        }
        if (!literal.isEmpty()) {
            sb.append(Pattern.quote(literal.toString()));
        }
        sb.append('$');
        return new GlobPattern(glob, Pattern.compile(sb.toString(), Pattern.CASE_INSENSITIVE | Pattern.DOTALL));
    }

    public boolean matches(String value) {
        return value != null && regex.matcher(value).matches();
    }

    @Override
    public String toString() {
        return glob;
    }
}
