package dev.clearance.app.api;

import dev.clearance.app.errors.Refusals;
import dev.clearance.core.model.ClearanceException;
import dev.clearance.core.model.ConflictException;
import dev.clearance.core.model.ForbiddenException;
import dev.clearance.core.model.InvalidInputException;
import dev.clearance.core.model.NotFoundException;
import dev.clearance.core.model.RateLimitedException;
import dev.clearance.core.model.StoreUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

import java.util.UUID;

/**
 * RFC 9457 problem details: 400 names the field, 403 says why not, 404 unknown id, 409 wrong state or lost race,
 * 429 a limit of the policy file (with Retry-After),
 * 503 when the database cannot take the change now (nothing was stored; retry after the given seconds), and 500
 * with a correlation id for anything unexpected. No body ever carries SQL, stack traces or class names.
 */
@RestControllerAdvice
class ApiExceptionHandler extends ResponseEntityExceptionHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ApiExceptionHandler.class);

    @ExceptionHandler(InvalidInputException.class)
    ProblemDetail invalid(InvalidInputException e) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
        p.setTitle("Invalid " + e.field());
        p.setProperty("field", e.field());
        return p;
    }

    /** A query parameter of the wrong type ({@code page=abc}, a page past int): 400 naming the parameter. */
    @Override
    protected ResponseEntity<Object> handleTypeMismatch(org.springframework.beans.TypeMismatchException e, HttpHeaders headers,
                                                        org.springframework.http.HttpStatusCode status,
                                                        org.springframework.web.context.request.WebRequest request) {
        String field = e instanceof org.springframework.web.method.annotation.MethodArgumentTypeMismatchException m
                ? m.getName() : e.getPropertyName();
        Class<?> type = e.getRequiredType();
        boolean number = type == int.class || type == Integer.class || type == long.class || type == Long.class;
        ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, field + " must be "
                + (number ? "a whole number within range" : "a valid " + (type == null ? "value" : type.getSimpleName())));
        p.setTitle("Invalid " + field);
        if (field != null) {
            p.setProperty("field", field);
        }
        return handleExceptionInternal(e, p, headers, HttpStatus.BAD_REQUEST, request);
    }

    /** Not allowed, unknown id, wrong state or lost race: the status of the one mapping, the core's words. */
    @ExceptionHandler({ForbiddenException.class, NotFoundException.class, ConflictException.class})
    ProblemDetail refused(ClearanceException e) {
        return ProblemDetail.forStatusAndDetail(Refusals.status(e), e.getMessage());
    }

    /** A limit of the policy file refused a new request: 429, with when to try again (seconds, at least 1). */
    @ExceptionHandler(RateLimitedException.class)
    ResponseEntity<ProblemDetail> rateLimited(RateLimitedException e) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(Refusals.status(e), e.getMessage());
        p.setTitle("Limit reached: " + e.limit());
        p.setProperty("limit", e.limit());
        p.setProperty("retryAt", e.retryAt().toString());
        return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS).header(HttpHeaders.RETRY_AFTER, Refusals.retryAfter(e).orElseThrow())
                .body(p);
    }

    /** Lock timeouts, lost connections, a failed integrity check: the whole command was rolled back. */
    @ExceptionHandler({StoreUnavailableException.class, TransientDataAccessException.class,
            DataAccessResourceFailureException.class, CannotCreateTransactionException.class})
    ResponseEntity<ProblemDetail> unavailable(RuntimeException e) {
        String id = correlationId();
        LOG.warn("command rolled back, answered 503 [correlation {}]", id, e);
        ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
                "the change could not be stored right now and nothing was changed; retry in " + Refusals.RETRY_AFTER_UNAVAILABLE + "s");
        p.setTitle("Temporarily unavailable");
        p.setProperty("correlationId", id);
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, Refusals.RETRY_AFTER_UNAVAILABLE)
                .body(p);
    }

    @ExceptionHandler(DataAccessException.class)
    ProblemDetail database(DataAccessException e) {
        String id = correlationId();
        LOG.error("database error [correlation {}]", id, e);
        return internal(id, "the database refused the change; nothing was stored");
    }

    @ExceptionHandler(Exception.class)
    ProblemDetail unexpected(Exception e) {
        String id = correlationId();
        LOG.error("unexpected error [correlation {}]", id, e);
        return internal(id, "an unexpected error occurred; quote the correlation id to an admin");
    }

    private static ProblemDetail internal(String id, String detail) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR, detail);
        p.setTitle("Internal error");
        p.setProperty("correlationId", id);
        return p;
    }

    private static String correlationId() {
        return UUID.randomUUID().toString();
    }
}
