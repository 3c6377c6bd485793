package dev.clearance.app.store;

import dev.clearance.core.model.StoreUnavailableException;
import dev.clearance.core.port.Transactions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.function.Supplier;

/**
 * Runs each command in one database transaction. A transient failure (lock timeout, deadlock, lost connection,
 * damage found by {@link CommitCheck}) rolls the whole command back and runs it again from the start, a few times;
 * after that the caller gets {@link StoreUnavailableException} (HTTP 503 with Retry-After, "try again" in chat).
 * Nothing is acknowledged unless its commit succeeded.
 */
public final class SpringTransactions implements Transactions {
    private static final Logger LOG = LoggerFactory.getLogger(SpringTransactions.class);
    private static final int ATTEMPTS = 3;
    private final TransactionTemplate template;

    public SpringTransactions(PlatformTransactionManager transactionManager) {
        this.template = new TransactionTemplate(transactionManager);
    }

    @Override
    public <T> T inTransaction(Supplier<T> work) {
        if (TransactionSynchronizationManager.isActualTransactionActive()) {
            // joins the caller's transaction: only the outermost call may retry
            return template.execute(status -> work.get());
        }
        for (int attempt = 1; ; attempt++) {
            try {
                return template.execute(status -> work.get());
            } catch (StoreUnavailableException | TransientDataAccessException | DataAccessResourceFailureException
                     | CannotCreateTransactionException e) {
                if (attempt >= ATTEMPTS) {
                    throw e instanceof StoreUnavailableException s ? s
                            : new StoreUnavailableException("the database could not take the change; try again", e);
                }
                LOG.warn("transaction attempt {} of {} rolled back ({}); running it again", attempt, ATTEMPTS,
                        e.getClass().getSimpleName());
            }
        }
    }
}
