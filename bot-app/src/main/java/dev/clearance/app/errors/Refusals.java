package dev.clearance.app.errors;

import dev.clearance.core.model.ClearanceException;
import dev.clearance.core.model.ConflictException;
import dev.clearance.core.model.ForbiddenException;
import dev.clearance.core.model.InvalidInputException;
import dev.clearance.core.model.NotFoundException;
import dev.clearance.core.model.RateLimitedException;
import dev.clearance.core.model.StoreUnavailableException;
import org.springframework.http.HttpStatus;

import java.util.Map;
import java.util.Optional;

/**
 * The one mapping from a refusal of the core to what HTTP answers with, shared by the REST API (problem details) and
 * the web page (the page again with why): 400 bad input, 403 not allowed, 404 unknown, 409 wrong state or lost race,
 * 429 a limit (with Retry-After), 503 nothing stored right now (with Retry-After).
 */
public final class Refusals {
    /** What a 503 asks the caller to wait before retrying the whole command, in seconds. */
    public static final String RETRY_AFTER_UNAVAILABLE = "1";

    private Refusals() {
    }

    /** One status per kind of refusal; {@link ClearanceException} is sealed and {@code RefusalsTest} checks every kind is here. */
    static final Map<Class<? extends ClearanceException>, HttpStatus> STATUS = Map.of(
            InvalidInputException.class, HttpStatus.BAD_REQUEST,
            ForbiddenException.class, HttpStatus.FORBIDDEN,
            NotFoundException.class, HttpStatus.NOT_FOUND,
            ConflictException.class, HttpStatus.CONFLICT,
            RateLimitedException.class, HttpStatus.TOO_MANY_REQUESTS,
            StoreUnavailableException.class, HttpStatus.SERVICE_UNAVAILABLE);

    public static HttpStatus status(ClearanceException e) {
        for (Class<?> kind = e.getClass(); kind != ClearanceException.class; kind = kind.getSuperclass()) {
            HttpStatus status = STATUS.get(kind);
            if (status != null) {
                return status;
            }
        }
        throw new IllegalStateException("no HTTP status for " + e.getClass().getSimpleName());
    }

    /** Retry-After for a refusal that has one (a limit, or the store unavailable): whole seconds, at least 1. */
    public static Optional<String> retryAfter(ClearanceException e) {
        if (e instanceof RateLimitedException limited) {
            long seconds = limited.retryAfter().toSeconds() + (limited.retryAfter().toNanosPart() > 0 ? 1 : 0);
            return Optional.of(Long.toString(Math.max(1, seconds)));
        }
        if (e instanceof StoreUnavailableException) {
            return Optional.of(RETRY_AFTER_UNAVAILABLE);
        }
        return Optional.empty();
    }
}
