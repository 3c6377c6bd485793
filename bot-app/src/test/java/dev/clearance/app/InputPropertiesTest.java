package dev.clearance.app;

import dev.clearance.app.support.ApiClient;
import dev.clearance.app.support.AppTestBase;
import dev.clearance.app.support.HostileText;
import dev.clearance.app.support.StoreSnapshot;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Properties of the REST API over generated input: no body, however broken, gets a 5xx; every refusal is a problem
 * document naming the field; text with NUL, other controls or unpaired surrogates is refused; and a refused
 * command changes nothing in the store.
 */
class InputPropertiesTest extends AppTestBase {
    private static final long SEED = 20261122L;
    @Autowired
    JdbcClient jdbc;

    private static final List<String> INTAKE_FIELDS = List.of("requester", "resource", "account", "justification",
            "duration", "scope", "source");

    @Test
    void intakeNeverAnswers5xxAndRefusesForbiddenTextWithoutStoringAnything() {
        HostileText gen = new HostileText(SEED);
        for (String hostile : gen.samples(250)) {
            String field = INTAKE_FIELDS.get(gen.pick(INTAKE_FIELDS.size()));
            Map<String, String> body = new LinkedHashMap<>(Map.of("requester", "alice@example.com",
                    "resource", "ec2:Describe" + gen.pick(1_000_000), "account", "123456789012",
                    "justification", "property test"));
            body.put(field, hostile);
            String before = snapshot();
            ApiClient.Response r = api.post("/api/v1/requests", json(body));
            String what = "seed " + SEED + ", " + field + "=" + HostileText.json(hostile) + " -> " + r.status() + " " + r.raw();
            assertThat(r.status()).as(what).isLessThan(500);
            if (r.status() >= 400) {
                assertThat(r.text("detail")).as(what).isNotBlank();
                assertThat(snapshot()).as("a refused intake changed the store: " + what).isEqualTo(before);
            }
            if (HostileText.forbidden(hostile) && !field.equals("duration") && !field.equals("scope")) {
                assertThat(r.status()).as(what).isEqualTo(400);
                assertThat(r.text("field")).as(what).isEqualTo(field);
            }
        }
    }

    @Test
    void decisionsNeverAnswer5xxAndARefusedDecisionChangesNothing() {
        String id = api.post("/api/v1/requests", "{\"requester\":\"alice@example.com\",\"resource\":\"ec2:RebootInstances\","
                + "\"account\":\"123456789012\",\"justification\":\"property test\"}").text("id");
        HostileText gen = new HostileText(SEED + 1);
        List<String> fields = List.of("approver", "decision", "reason", "duration");
        for (String hostile : gen.samples(200)) {
            String field = fields.get(gen.pick(fields.size()));
            Map<String, String> body = new LinkedHashMap<>(Map.of("approver", "nobody@example.com", "decision", "approve",
                    "reason", "property test"));
            body.put(field, hostile);
            String before = snapshot();
            ApiClient.Response r = api.post("/api/v1/requests/" + id + "/decisions", json(body));
            String what = "seed " + (SEED + 1) + ", " + field + "=" + HostileText.json(hostile) + " -> " + r.status() + " " + r.raw();
            assertThat(r.status()).as(what).isBetween(400, 499);
            assertThat(snapshot()).as("a refused decision changed the store: " + what).isEqualTo(before);
        }
        assertThat(status(id)).isEqualTo("PENDING");
    }

    @Test
    void brokenJsonAndWrongTypesAreProblemsNotErrors() {
        for (String body : List.of("", "{", "[]", "null", "{\"requester\":1}", "{\"requester\":[\"a\"]}",
                "{\"requester\":\"\\ud800\"}", "{\"requester\":\"alice@example.com\",\"resource\":{}}", "\u0000")) {
            ApiClient.Response r = api.post("/api/v1/requests", body);
            assertThat(r.status()).as(HostileText.json(body) + " -> " + r.raw()).isBetween(400, 499);
        }
    }

    private static String json(Map<String, String> body) {
        return body.entrySet().stream().map(e -> HostileText.json(e.getKey()) + ":" + HostileText.json(e.getValue()))
                .collect(Collectors.joining(",", "{", "}"));
    }

    private String snapshot() {
        return StoreSnapshot.of(jdbc);
    }
}
