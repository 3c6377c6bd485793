package dev.clearance.app.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Real platform payloads recorded from Slack and Teams (and Microsoft 365 Agents Playground), kept in the test
 * resources under {@code fixtures/}; {@code fixtures/SOURCES.md} says where each came from. Read byte for byte: a
 * {@code *.form.txt} body is signed as it is.
 */
public final class Fixtures {
    private Fixtures() {
    }

    public static String read(String relative) {
        try (InputStream in = Fixtures.class.getClassLoader().getResourceAsStream("fixtures/" + relative)) {
            if (in == null) {
                throw new IllegalStateException("no fixture fixtures/" + relative + " in bot-app/src/test/resources");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
