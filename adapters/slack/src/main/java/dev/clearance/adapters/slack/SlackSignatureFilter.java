package dev.clearance.adapters.slack;

import com.slack.api.app_backend.SlackSignature;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;

/**
 * Verifies Slack's request signature on the raw body, before anything parses it: {@code v0=HMAC-SHA256(signing
 * secret, "v0:" + timestamp + ":" + body)}, and a timestamp at most five minutes from the injected clock.
 * Anything else is answered 401 and goes no further.
 */
public final class SlackSignatureFilter implements Filter {
    private static final Logger LOG = LoggerFactory.getLogger(SlackSignatureFilter.class);
    static final long MAX_AGE_SECONDS = 5 * 60;
    private final SlackSignature.Generator generator;
    private final Clock clock;

    public SlackSignatureFilter(String signingSecret, Clock clock) {
        this.generator = new SlackSignature.Generator(signingSecret);
        this.clock = clock;
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        HttpServletResponse response = (HttpServletResponse) res;
        byte[] body = request.getInputStream().readAllBytes();
        String timestamp = request.getHeader(SlackSignature.HeaderNames.X_SLACK_REQUEST_TIMESTAMP);
        String signature = request.getHeader(SlackSignature.HeaderNames.X_SLACK_SIGNATURE);
        // NB: only signed, fresh requests reach Bolt; a replayed or forged one changes nothing.
        if (!isValid(timestamp, new String(body, StandardCharsets.UTF_8), signature)) {
            LOG.warn("rejected a request to {} with a missing, stale or wrong Slack signature", request.getRequestURI());
            response.sendError(HttpServletResponse.SC_UNAUTHORIZED, "invalid Slack signature");
            return;
        }
        chain.doFilter(new CachedBody(request, body), response);
    }

    boolean isValid(String timestamp, String body, String signature) {
        if (timestamp == null || signature == null) {
            return false;
        }
        long ts;
        try {
            ts = Long.parseLong(timestamp.trim());
        } catch (NumberFormatException e) {
            return false;
        }
        if (Math.abs(clock.instant().getEpochSecond() - ts) > MAX_AGE_SECONDS) {
            return false;
        }
        String expected = generator.generate(timestamp.trim(), body);
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), signature.trim().getBytes(StandardCharsets.UTF_8));
    }

    /** The request with its body readable again, byte for byte as received. */
    private static final class CachedBody extends HttpServletRequestWrapper {
        private final byte[] body;

        CachedBody(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new IllegalStateException("synchronous reads only");
                }

                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    return in.read(b, off, len);
                }
            };
        }

        @Override
        public BufferedReader getReader() {
            return new BufferedReader(new InputStreamReader(getInputStream(), StandardCharsets.UTF_8));
        }
    }
}
