package dev.clearance.adapters.access;

import dev.clearance.core.model.RequestId;
import dev.clearance.core.port.AccessGrant;
import dev.clearance.core.port.AccessProvider;
import dev.clearance.core.port.HeldAccess;
import dev.clearance.core.port.ProviderResult;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Grants and revokes by POSTing JSON to a URL the security team runs. Each call is signed:
 * {@code X-Clearance-Signature: v1=hex(HMAC-SHA256(secret, "v1:" + timestamp + ":" + body))} with the timestamp in
 * {@code X-Clearance-Timestamp} (epoch seconds), and carries an {@code Idempotency-Key} that is the same on every
 * retry of the same action. Any 2xx is success; anything else fails the attempt (the caller retries with backoff).
 */
public final class WebhookAccessProvider implements AccessProvider {
    public static final String SIGNATURE_HEADER = "X-Clearance-Signature";
    public static final String TIMESTAMP_HEADER = "X-Clearance-Timestamp";
    public static final String IDEMPOTENCY_HEADER = "Idempotency-Key";
    /**
     * The most of a reconcile answer read: 16 MiB, some 100,000 entries. NB: a receiver's answer is read into memory;
     * unbounded, one huge answer (a buggy or hostile receiver) took the whole instance, every timer with it.
     */
    static final int MAX_RECONCILE_ANSWER = 16 * 1024 * 1024;
    /** The most of any other answer read: only an excerpt of it is ever shown. */
    static final int MAX_ANSWER = 64 * 1024;

    private final URI url;
    private final byte[] secret;
    private final Clock clock;
    private final HttpClient http;
    private final Duration timeout;
    private final JsonMapper json = JsonMapper.builder().build();
    private final boolean reconcile;

    public WebhookAccessProvider(URI url, byte[] secret, Clock clock, Duration timeout) {
        this(url, secret, clock, timeout, false);
    }

    /**
     * @param reconcile whether the receiver answers the {@code reconcile} call (it lists what it holds for Clearance);
     *                  without it, what a failed or late call left behind cannot be found, only revoked blind
     */
    public WebhookAccessProvider(URI url, byte[] secret, Clock clock, Duration timeout, boolean reconcile) {
        if (secret == null || secret.length < 16) {
            throw new IllegalArgumentException("the webhook signing secret must be at least 16 bytes");
        }
        this.url = url;
        this.secret = secret.clone();
        this.clock = clock;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
        this.reconcile = reconcile;
    }

    @Override
    public String name() {
        return "webhook";
    }

    @Override
    public ProviderResult grant(AccessGrant grant) throws AccessProviderException {
        send("grant", grant);
        return ProviderResult.done();
    }

    @Override
    public ProviderResult revoke(AccessGrant grant) throws AccessProviderException {
        send("revoke", grant);
        return ProviderResult.done();
    }

    /** The grant's {@code expiresAt} moved (an approved extension): receivers that enforce it themselves move theirs. */
    @Override
    public void extend(AccessGrant grant) throws AccessProviderException {
        send("extend", grant);
    }

    /**
     * The {@code reconcile} call, when the receiver supports it: {@code {"action":"reconcile"}} answered with
     * {@code {"held":[{"requestId":"…","description":"…"}, …]}}, every access the receiver holds now that Clearance
     * granted (never access it gave by other means). An answer that is not that shape fails the call.
     */
    @Override
    public Optional<List<HeldAccess>> held() throws AccessProviderException {
        if (!reconcile) {
            return Optional.empty();
        }
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("action", "reconcile");
        payload.put("idempotencyKey", "reconcile:" + clock.instant().toEpochMilli());
        String body = post("reconcile", payload, (String) payload.get("idempotencyKey"), true);
        List<HeldAccess> held = new ArrayList<>();
        try {
            JsonNode list = json.readTree(body).get("held");
            if (list == null || !list.isArray()) {
                throw new AccessProviderException("reconcile webhook answered without a \"held\" list");
            }
            for (JsonNode item : list) {
                JsonNode id = item.get("requestId");
                if (id == null || !id.isString()) {
                    throw new AccessProviderException("reconcile webhook answered an item without a requestId");
                }
                JsonNode description = item.get("description");
                held.add(new HeldAccess(new RequestId(id.asString()), description != null && description.isString()
                        ? description.asString() : "access for " + id.asString() + " at the webhook receiver"));
            }
        } catch (JacksonException | IllegalArgumentException e) {
            throw new AccessProviderException("reconcile webhook answered something that is not a held list: "
                    + e.getMessage(), e);
        }
        return Optional.of(held);
    }

    private void send(String action, AccessGrant g) throws AccessProviderException {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("action", action);
        payload.put("requestId", g.requestId().value());
        payload.put("requester", g.requester().value());
        payload.put("resource", g.resource());
        payload.put("account", g.account());
        payload.put("scope", g.scope().value());
        payload.put("expiresAt", g.expiresAt().map(Object::toString).orElse(null));
        payload.put("idempotencyKey", g.idempotencyKey());
        post(action, payload, g.idempotencyKey(), false);
    }

    /**
     * Signs and POSTs the payload; answers the response body of a 2xx, else fails. An answer needed {@code whole}
     * (reconcile) longer than {@link #MAX_RECONCILE_ANSWER} fails the call; any other is cut at {@link #MAX_ANSWER}.
     */
    private String post(String action, Map<String, Object> payload, String idempotencyKey, boolean whole)
            throws AccessProviderException {
        int maxAnswer = whole ? MAX_RECONCILE_ANSWER : MAX_ANSWER;
        String body = json.writeValueAsString(payload);
        String timestamp = Long.toString(clock.instant().getEpochSecond());
        HttpRequest request = HttpRequest.newBuilder(url)
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header(TIMESTAMP_HEADER, timestamp)
                .header(SIGNATURE_HEADER, "v1=" + sign(secret, timestamp, body))
                .header(IDEMPOTENCY_HEADER, idempotencyKey)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build();
        HttpResponse<byte[]> response;
        // NB: the whole answer, body included, within the timeout: the client's request timeout covers only the
        // headers, so a receiver that trickled its body held a timer thread as long as it liked (eight stalled them all).
        java.util.concurrent.CompletableFuture<HttpResponse<byte[]>> exchange =
                http.sendAsync(request, info -> new LimitedBody(maxAnswer + 1));
        try {
            response = exchange.get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            exchange.cancel(true);
            throw new AccessProviderException(action + " webhook did not answer in full within " + timeout.toSeconds()
                    + "s", e);
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new AccessProviderException(action + " webhook unreachable: " + cause.getClass().getSimpleName()
                    + (cause.getMessage() == null ? "" : ": " + cause.getMessage()), cause);
        } catch (InterruptedException e) {
            exchange.cancel(true);
            Thread.currentThread().interrupt();
            throw new AccessProviderException(action + " webhook interrupted", e);
        }
        byte[] read = response.body();
        boolean cut = read.length > maxAnswer;
        String answer = new String(read, 0, Math.min(read.length, maxAnswer), StandardCharsets.UTF_8);
        if (response.statusCode() / 100 != 2) {
            String excerpt = answer.strip();
            if (excerpt.length() > 200) {
                excerpt = excerpt.substring(0, 200) + "…";
            }
            throw new AccessProviderException(action + " webhook answered HTTP " + response.statusCode()
                    + (excerpt.isEmpty() ? "" : ": " + excerpt));
        }
        if (cut && whole) {
            throw new AccessProviderException(action + " webhook answered more than " + maxAnswer + " bytes");
        }
        return answer;
    }

    /** Collects an answer's body up to {@code limit} bytes, then stops reading (the rest is never held in memory). */
    private static final class LimitedBody implements HttpResponse.BodySubscriber<byte[]> {
        private final int limit;
        private final java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        private final java.util.concurrent.CompletableFuture<byte[]> result = new java.util.concurrent.CompletableFuture<>();
        private java.util.concurrent.Flow.Subscription subscription;

        LimitedBody(int limit) {
            this.limit = limit;
        }

        @Override
        public java.util.concurrent.CompletionStage<byte[]> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(java.util.concurrent.Flow.Subscription s) {
            subscription = s;
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<java.nio.ByteBuffer> items) {
            for (java.nio.ByteBuffer item : items) {
                int take = Math.min(item.remaining(), limit - body.size());
                byte[] chunk = new byte[take];
                item.get(chunk);
                body.write(chunk, 0, take);
            }
            if (body.size() >= limit && !result.isDone()) {
                subscription.cancel();
                result.complete(body.toByteArray());
            }
        }

        @Override
        public void onError(Throwable t) {
            result.completeExceptionally(t);
        }

        @Override
        public void onComplete() {
            result.complete(body.toByteArray());
        }
    }

    /**
     * The URL as it may be logged: scheme, host, port and path. NB: the user info and the query often carry a
     * credential (a token in {@code ?token=}), so they never reach a log line.
     */
    public static String describe(URI url) {
        return url.getScheme() + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort())
                + (url.getRawPath() == null ? "" : url.getRawPath());
    }

    /** The signature a receiver recomputes to verify a call. */
    public static String sign(byte[] secret, String timestamp, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(("v1:" + timestamp + ":" + body).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
