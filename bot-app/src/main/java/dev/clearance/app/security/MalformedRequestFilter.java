package dev.clearance.app.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;

/**
 * A query string or form whose percent-encoding is not valid UTF-8 is answered 400 here, naming what to fix, instead
 * of failing later inside a controller as a 500. Slack's and Teams' bodies are left alone (their signature covers the
 * raw bytes, and the adapters parse them); their query strings are checked by hand.
 */
public final class MalformedRequestFilter extends OncePerRequestFilter {

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String path = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
        boolean chat = path.startsWith("/slack/") || path.equals("/api/messages");
        if (!validQuery(request.getQueryString())) {
            refuse(request, response, HttpStatus.BAD_REQUEST, "query", "the query string's percent-encoding is not valid "
                    + "UTF-8; encode each parameter as UTF-8");
            return;
        }
        if (!chat) {
            try {
                // parses the query and a form body now (Tomcat caps a form at server.tomcat.max-http-form-post-size)
                request.getParameterMap();
            } catch (InvalidParameterException e) {
                HttpStatus status = e.getErrorCode() == HttpStatus.CONTENT_TOO_LARGE.value()
                        ? HttpStatus.CONTENT_TOO_LARGE : HttpStatus.BAD_REQUEST;
                refuse(request, response, status, "form", status == HttpStatus.BAD_REQUEST
                        ? "the form's percent-encoding is not valid UTF-8; encode each field as UTF-8"
                        : "the form is larger than the server accepts; nothing was changed");
                return;
            }
        }
        chain.doFilter(request, response);
    }

    private static void refuse(HttpServletRequest request, HttpServletResponse response, HttpStatus status, String field,
                               String detail) throws IOException {
        if (status == HttpStatus.CONTENT_TOO_LARGE) {
            response.setHeader("Connection", "close");
        }
        Problems.write(request, response, status, detail, Map.of("field", field));
    }

    /** True when every {@code %XX} is two hex digits and the bytes they spell are UTF-8. */
    static boolean validQuery(String query) {
        if (query == null || query.indexOf('%') < 0) {
            return true;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(query.length());
        for (int i = 0; i < query.length(); i++) {
            char c = query.charAt(i);
            if (c == '%') {
                if (i + 2 >= query.length() || !HexFormat.isHexDigit(query.charAt(i + 1))
                        || !HexFormat.isHexDigit(query.charAt(i + 2))) {
                    return false;
                }
                bytes.write(HexFormat.fromHexDigits(query, i + 1, i + 3));
                i += 2;
            } else {
                bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes.toByteArray()));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
