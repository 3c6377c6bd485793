package dev.clearance.app.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The configured API tokens, parsed from {@code CLEARANCE_API_TOKENS} and {@code CLEARANCE_API_TOKENS_FILE}.
 * An entry is {@code name:perm+perm:secret} (e.g. {@code detector:intake:s3cr3t}); entries are separated by commas,
 * whitespace or newlines, and in the file a line starting with {@code #} is a comment. An entry without a colon is a
 * bare token (the old format): it may do everything. A bad entry is refused naming the setting and the entry's
 * position, never its secret.
 */
public final class ApiTokens {
    static final String ENV = "clearance.api.tokens (CLEARANCE_API_TOKENS)";
    static final String FILE = "clearance.api.tokens-file (CLEARANCE_API_TOKENS_FILE)";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern SEPARATORS = Pattern.compile("[,\\s]+");
    private static final int STRONG_LENGTH = 16;
    private final List<ApiToken> tokens;
    private final List<String> weak;

    private ApiTokens(List<ApiToken> tokens, List<String> weak) {
        this.tokens = List.copyOf(tokens);
        this.weak = List.copyOf(weak);
    }

    /** The names of the tokens whose secret is shorter than 16 characters: fine for a trial, too weak for production. */
    public List<String> weak() {
        return weak;
    }

    public List<ApiToken> all() {
        return tokens;
    }

    /**
     * @param envEntries  the environment's entries (Spring already split them at commas)
     * @param fileContent the tokens file's content, or null without one
     */
    public static ApiTokens parse(List<String> envEntries, String fileContent) {
        List<ApiToken> tokens = new ArrayList<>();
        Set<String> names = new HashSet<>();
        Set<String> digests = new HashSet<>();
        List<String> weak = new ArrayList<>();
        int bare = 0;
        int position = 0;
        for (String element : envEntries == null ? List.<String>of() : envEntries) {
            for (String entry : SEPARATORS.split(element.strip())) {
                if (!entry.isEmpty()) {
                    position++;
                    bare = add(tokens, names, digests, weak, entry, ENV + ", entry " + position, bare);
                }
            }
        }
        if (fileContent != null) {
            String[] lines = fileContent.split("\\R");
            for (int line = 0; line < lines.length; line++) {
                String text = lines[line].strip();
                if (text.startsWith("#")) {
                    continue;
                }
                for (String entry : SEPARATORS.split(text)) {
                    if (!entry.isEmpty()) {
                        bare = add(tokens, names, digests, weak, entry, FILE + ", line " + (line + 1), bare);
                    }
                }
            }
        }
        return new ApiTokens(tokens, weak);
    }

    private static int add(List<ApiToken> tokens, Set<String> names, Set<String> digests, List<String> weak,
                           String entry, String where, int bareCount) {
        int first = entry.indexOf(':');
        ApiToken token;
        int bare = bareCount;
        String secret = first < 0 ? entry : entry.substring(Math.max(first, entry.indexOf(':', first + 1)) + 1);
        if (first < 0) {
            bare++;
            token = new ApiToken("unnamed-" + bare, EnumSet.allOf(ApiPermission.class), sha256(entry), true);
        } else {
            int second = entry.indexOf(':', first + 1);
            if (second < 0) {
                throw new IllegalStateException(where + ": write name:permissions:secret (e.g. detector:intake:<secret>), "
                        + "or a bare token without ':'");
            }
            String name = entry.substring(0, first);
            if (name.isEmpty()) {
                throw new IllegalStateException(where + ": the token has no name (name:permissions:secret)");
            }
            if (!NAME.matcher(name).matches()) {
                throw new IllegalStateException(where + ": the name '" + name + "' must be letters, digits, '.', '_' or "
                        + "'-' (at most 64)");
            }
            if (secret.isEmpty()) {
                throw new IllegalStateException(where + ": token " + name + " has no secret after its permissions");
            }
            Set<ApiPermission> permissions = EnumSet.noneOf(ApiPermission.class);
            for (String word : entry.substring(first + 1, second).split("\\+", -1)) {
                permissions.add(ApiPermission.parse(word).orElseThrow(() -> new IllegalStateException(where + ": token "
                        + name + " has the unknown permission '" + word + "'; use " + ApiPermission.words()
                        + ", joined by '+'")));
            }
            token = new ApiToken(name, permissions, sha256(secret), false);
        }
        if (!names.add(token.name())) {
            throw new IllegalStateException(where + ": the name " + token.name() + " is used twice; each token needs "
                    + "its own name");
        }
        // NB: one secret, one identity: the same secret under two names would make the audit trail guess
        if (!digests.add(java.util.HexFormat.of().formatHex(token.digest()))) {
            throw new IllegalStateException(where + ": token " + token.name() + " has the same secret as another token");
        }
        if (secret.length() < STRONG_LENGTH) {
            weak.add(token.name());
        }
        tokens.add(token);
        return bare;
    }

    /**
     * The token whose secret this is. NB: the presented secret's digest is compared with every token's, in constant
     * time, so timing reveals neither a secret nor which token matched.
     */
    public Optional<ApiToken> match(String presented) {
        byte[] digest = sha256(presented);
        ApiToken found = null;
        for (ApiToken candidate : tokens) {
            if (MessageDigest.isEqual(candidate.digest(), digest)) {
                found = candidate;
            }
        }
        return Optional.ofNullable(found);
    }

    static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
