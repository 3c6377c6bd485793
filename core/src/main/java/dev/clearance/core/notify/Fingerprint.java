package dev.clearance.core.notify;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** A digest of a rendered payload: two equal digests mean sending the second would change nothing. */
public final class Fingerprint {
    private Fingerprint() {
    }

    public static String of(String rendered) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(rendered.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
