package dev.clearance.app.api;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * Bearer-token authentication of {@code /api/v1}. Tokens are compared as SHA-256 digests with
 * {@link MessageDigest#isEqual}, against every configured token, so timing reveals neither a token nor which one matched.
 */
public class ApiTokenFilter extends OncePerRequestFilter {
    private final List<byte[]> tokenDigests;

    public ApiTokenFilter(List<String> tokens) {
        this.tokenDigests = tokens.stream().map(ApiTokenFilter::sha256).toList();
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().startsWith("/api/v1/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader("Authorization");
        // NB: no token configured means no access, never open access.
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) && matches(header.substring(7).strip())) {
            chain.doFilter(request, response);
            return;
        }
        response.setStatus(HttpStatus.UNAUTHORIZED.value());
        response.setHeader("WWW-Authenticate", "Bearer");
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.getWriter().write("{\"type\":\"about:blank\",\"title\":\"Unauthorized\",\"status\":401,"
                + "\"detail\":\"send Authorization: Bearer <token>, with a token from CLEARANCE_API_TOKENS\","
                + "\"instance\":\"" + request.getRequestURI().replace("\"", "") + "\"}");
    }

    private boolean matches(String presented) {
        byte[] digest = sha256(presented);
        boolean match = false;
        for (byte[] candidate : tokenDigests) {
            match |= MessageDigest.isEqual(candidate, digest);
        }
        return match;
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
