package dev.clearance.core.model;

/** The stored request changed since it was read (compare-and-swap lost); the caller re-reads and decides again. */
public class ConcurrentUpdateException extends RuntimeException {
    public ConcurrentUpdateException(RequestId id) {
        super("request " + id + " was changed concurrently");
    }
}
