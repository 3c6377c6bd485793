package dev.clearance.app.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Caps request bodies before anything reads them: a declared {@code Content-Length} over the limit is answered 413 at
 * once; a body without one (chunked) is read up to the limit and answered 413 as soon as it passes it. The first
 * filter of all, before authentication: an unauthenticated caller can make the server hold at most one limit's worth.
 * (A chunked form post to the web page is parsed by Tomcat itself, capped by {@code server.tomcat.max-http-form-post-size}.)
 */
public final class BodySizeLimitFilter extends OncePerRequestFilter {
    private static final Logger LOG = LoggerFactory.getLogger(BodySizeLimitFilter.class);
    private final long limit;
    private final long chatLimit;

    public BodySizeLimitFilter(HttpLimits limits) {
        this.limit = limits.maxBodySize().toBytes();
        this.chatLimit = limits.maxChatBodySize().toBytes();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        boolean chat = isChat(request);
        long max = chat ? chatLimit : limit;
        long declared = request.getContentLengthLong();
        // NB: refused before a byte of the body is read
        if (declared > max) {
            tooLarge(request, response, max);
            return;
        }
        boolean chunked = declared < 0 && request.getHeader("Transfer-Encoding") != null;
        if (chunked && (chat || !isForm(request))) {
            // NB: counted while reading: never more than the limit (and one byte) in memory
            byte[] body = request.getInputStream().readNBytes((int) max + 1);
            if (body.length > max) {
                tooLarge(request, response, max);
                return;
            }
            chain.doFilter(new ReadBody(request, body), response);
            return;
        }
        chain.doFilter(request, response);
    }

    /** Slack and Teams, as the container routed the request (decoded path). */
    private static boolean isChat(HttpServletRequest request) {
        String path = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
        return path.startsWith("/slack/") || path.equals("/api/messages");
    }

    private static boolean isForm(HttpServletRequest request) {
        String type = request.getContentType();
        return type != null && type.toLowerCase(java.util.Locale.ROOT).startsWith(MediaType.APPLICATION_FORM_URLENCODED_VALUE);
    }

    private static void tooLarge(HttpServletRequest request, HttpServletResponse response, long max) throws IOException {
        LOG.warn("refused a request body over {} bytes to {} {}", max, request.getMethod(), request.getRequestURI());
        // the rest of the body is not wanted: the connection closes after the answer
        response.setHeader("Connection", "close");
        Problems.write(request, response, HttpStatus.CONTENT_TOO_LARGE, "the request body is larger than " + max
                + " bytes; nothing was read or changed", Map.of("limit", Long.toString(max)));
    }

    /** The request with the body that was already read (within the limit) readable again. */
    private static final class ReadBody extends HttpServletRequestWrapper {
        private final byte[] body;

        ReadBody(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
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
            Charset charset = StandardCharsets.UTF_8;
            try {
                if (getCharacterEncoding() != null) {
                    charset = Charset.forName(getCharacterEncoding());
                }
            } catch (RuntimeException unknownCharset) {
                // UTF-8, as every caller of Clearance sends
            }
            return new BufferedReader(new InputStreamReader(getInputStream(), charset));
        }
    }
}
