package dev.clearance.core.port;

import java.util.function.Supplier;

/** Runs work atomically: the state change, its audit events, its outbox messages and its timers commit together. */
public interface Transactions {
    <T> T inTransaction(Supplier<T> work);

    /** {@link #inTransaction} for work that answers nothing. */
    default void run(Runnable work) {
        inTransaction(() -> {
            work.run();
            return null;
        });
    }
}
