package dev.clearance.app.matrix;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** The REST API with a token chosen per call (ApiClient always sends the one test token). */
final class RestApi {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final HttpClient http = HttpClient.newHttpClient();
    private final String base;

    RestApi(int port) {
        this.base = "http://localhost:" + port + "/api/v1";
    }

    record Reply(int status, String contentType, JsonNode body, String raw) {
    }

    Reply post(String token, String path, String json) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    Reply get(String token, String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + token).GET());
    }

    /** A request as stored, read with a token that may read; the test's view of "the stored state". */
    JsonNode request(String token, String id) {
        Reply r = get(token, "/requests/" + id);
        if (r.status() != 200) {
            throw new AssertionError("GET /requests/" + id + " answered " + r.status() + ": " + r.raw());
        }
        return r.body();
    }

    static String quote(String text) {
        return JSON.writeValueAsString(text);
    }

    private Reply send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode body;
            try {
                body = r.body() == null || r.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(r.body());
            } catch (RuntimeException notJson) {
                body = JSON.createObjectNode().put("raw", r.body());
            }
            return new Reply(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), body, r.body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
