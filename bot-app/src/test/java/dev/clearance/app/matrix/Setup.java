package dev.clearance.app.matrix;

import tools.jackson.databind.JsonNode;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Brings a fresh request to the state a cell needs, through the REST API, as Alice (the requester) on the matrix's
 * account: each request on a resource of its own, so that no request answers for another (one active request per
 * requester, resource and account) and no intake limit keyed by the access applies.
 */
final class Setup {
    static final String ACCOUNT = "111111111111";
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private final RestApi api;
    private final String token;
    private final Runnable fireDueTimers;

    /** @param token a token that may file, decide and read; @param fireDueTimers runs the timers due now (the grant) */
    Setup(RestApi api, String token, Runnable fireDueTimers) {
        this.api = api;
        this.token = token;
        this.fireDueTimers = fireDueTimers;
    }

    String fresh(Channel channel, Action.State state) {
        String resource = "s3:Matrix" + channel.name().charAt(0) + channel.name().substring(1).toLowerCase(java.util.Locale.ROOT)
                + COUNTER.incrementAndGet();
        RestApi.Reply filed = api.post(token, "/requests", "{\"requester\":" + RestApi.quote(Persona.REQUESTER.email())
                + ",\"resource\":\"" + resource + "\",\"account\":\"" + ACCOUNT + "\"}");
        expect(filed, 201, "intake of " + resource);
        String id = filed.body().get("id").asString();
        if (state != Action.State.REQUESTED) {
            expect(api.post(token, "/requests/" + id + "/justification", "{\"actor\":" + RestApi.quote(Persona.REQUESTER.email())
                    + ",\"justification\":\"INC-4711: the matrix\",\"duration\":\"1h\"}"), 200, "justification of " + id);
        }
        if (state == Action.State.PENDING_STEP2 || state == Action.State.APPROVED_ACTIVE) {
            approve(id, Persona.SETUP_STEP1_APPROVER);
        }
        if (state == Action.State.APPROVED_ACTIVE) {
            approve(id, Persona.STEP2_APPROVER.email());
        }
        fireDueTimers.run();
        JsonNode r = api.request(token, id);
        String status = r.get("status").asString();
        switch (state) {
            case REQUESTED -> check(status.equals("REQUESTED"), id, r);
            case PENDING_STEP1 -> check(status.equals("PENDING") && r.get("currentStep").asInt() == 1, id, r);
            case PENDING_STEP2 -> check(status.equals("PENDING") && r.get("currentStep").asInt() == 2, id, r);
            case APPROVED_ACTIVE -> check(status.equals("APPROVED") && r.at("/grant/state").asString().equals("ACTIVE")
                    && !r.at("/grant/expiresAt").isMissingNode() && !r.at("/grant/expiresAt").isNull(), id, r);
        }
        return id;
    }

    private void approve(String id, String approver) {
        expect(api.post(token, "/requests/" + id + "/decisions", "{\"approver\":" + RestApi.quote(approver)
                + ",\"decision\":\"approve\",\"reason\":\"setup\"}"), 200, approver + " approving " + id);
    }

    private static void expect(RestApi.Reply r, int status, String what) {
        if (r.status() != status) {
            throw new IllegalStateException("setup failed: " + what + " answered " + r.status() + ": " + r.raw()
                    + " (an intake limit? raise it in matrix/clearance-matrix.yml)");
        }
    }

    private static void check(boolean ok, String id, JsonNode r) {
        if (!ok) {
            throw new IllegalStateException("setup did not reach the state the cell needs: " + id + " is " + r);
        }
    }
}
