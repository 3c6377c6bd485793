package dev.clearance.adapters.access;

// README:BEGIN webhook-verifier
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Checks one call from Clearance's webhook provider before the receiver acts on it. */
public final class WebhookVerifier {
    public enum Verdict { ACT, ALREADY_DONE, REFUSE }

    private static final long MAX_AGE_SECONDS = 5 * 60;
    private final byte[] secret;
    private final Clock clock;
    /** Idempotency keys acted on, with when; keep them in your database, for longer than Clearance retries. */
    private final Map<String, Long> seen = new ConcurrentHashMap<>();

    public WebhookVerifier(byte[] secret, Clock clock) {
        this.secret = secret.clone();
        this.clock = clock;
    }

    /** {@code body} exactly as received (bytes as UTF-8), before any JSON parsing. */
    public Verdict verify(String timestamp, String signature, String idempotencyKey, String body) throws Exception {
        if (timestamp == null || signature == null || idempotencyKey == null || idempotencyKey.isBlank()) {
            return Verdict.REFUSE;
        }
        long sent;
        try {
            sent = Long.parseLong(timestamp);
        } catch (NumberFormatException e) {
            return Verdict.REFUSE;
        }
        // 1. fresh: a captured call replayed later is refused
        if (Math.abs(clock.instant().getEpochSecond() - sent) > MAX_AGE_SECONDS) {
            return Verdict.REFUSE;
        }
        // 2. signed with the shared secret, compared in constant time
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret, "HmacSHA256"));
        String expected = "v1=" + HexFormat.of().formatHex(
                mac.doFinal(("v1:" + timestamp + ":" + body).getBytes(StandardCharsets.UTF_8)));
        if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), signature.getBytes(StandardCharsets.UTF_8))) {
            return Verdict.REFUSE;
        }
        // 3. once: Clearance retries with the same key; answer 2xx again without acting twice
        return seen.putIfAbsent(idempotencyKey, sent) == null ? Verdict.ACT : Verdict.ALREADY_DONE;
    }
}
// README:END webhook-verifier
