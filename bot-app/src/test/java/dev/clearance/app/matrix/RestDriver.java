package dev.clearance.app.matrix;

import java.util.function.Function;

/**
 * The REST API: the person is the body's actor or approver, the token says what its holder may do. Allowed is a 2xx;
 * refused is a 403 problem (RFC 9457), as the README promises "when the actor may not act".
 */
final class RestDriver implements ChannelDriver {
    private final RestApi api;
    private final Function<Action, String> token;

    /** @param token the bearer token each action is tried with (see AuthorizationMatrixTest.tokenWith) */
    RestDriver(RestApi api, Function<Action, String> token) {
        this.api = api;
        this.token = token;
    }

    @Override
    public Channel channel() {
        return Channel.REST;
    }

    @Override
    public Answer attempt(Action action, Persona persona, String id) {
        String me = RestApi.quote(persona.email());
        String path = "/requests/" + id;
        RestApi.Reply r = switch (action) {
            case JUSTIFY -> post(action, path + "/justification", "{\"actor\":" + me
                    + ",\"justification\":\"INC-4711: the matrix\",\"duration\":\"1h\"}");
            case ABANDON -> post(action, path + "/abandon", "{\"actor\":" + me + "}");
            case APPROVE_AT_STEP1, APPROVE_AT_STEP2 -> post(action, path + "/decisions", "{\"approver\":" + me
                    + ",\"decision\":\"approve\",\"reason\":\"checked\"}");
            case DENY_AT_STEP1, DENY_AT_STEP2 -> post(action, path + "/decisions", "{\"approver\":" + me
                    + ",\"decision\":\"deny\",\"reason\":\"not needed\"}");
            case CANCEL_PENDING, CANCEL_APPROVED -> post(action, path + "/cancel", "{\"actor\":" + me + "}");
            case REVOKE -> post(action, path + "/revoke", "{\"actor\":" + me + ",\"reason\":\"incident closed\"}");
            case EXTEND -> post(action, path + "/extend", "{\"actor\":" + me
                    + ",\"duration\":\"1h\",\"justification\":\"INC-4711 needs longer\"}");
            case SEE -> throw new IllegalArgumentException(Channel.REST.missing.get(Action.SEE));
        };
        String evidence = "HTTP " + r.status() + " " + r.raw();
        if (r.status() / 100 == 2) {
            return Answer.allowed(evidence);
        }
        if (r.status() == 403 && r.contentType().startsWith("application/problem+json") && r.body().has("detail")) {
            return Answer.refused(evidence);
        }
        throw new AssertionError("REST answered neither a success nor a 403 problem: " + evidence);
    }

    private RestApi.Reply post(Action action, String path, String json) {
        return api.post(token.apply(action), path, json);
    }
}
