package dev.clearance.app.timers;

import dev.clearance.core.service.Reconciliation;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reconciliation of everything with the access provider, at startup and every {@code clearance.reconcile.interval}.
 * A Quartz job on the JDBC store, so that of several instances one runs it at a time.
 */
@DisallowConcurrentExecution
public class ReconcileJob implements Job {
    private static final Logger LOG = LoggerFactory.getLogger(ReconcileJob.class);
    private final Reconciliation reconciliation;

    public ReconcileJob(Reconciliation reconciliation) {
        this.reconciliation = reconciliation;
    }

    @Override
    public void execute(JobExecutionContext context) {
        run(reconciliation);
    }

    /** One round; a failure is logged and the next round tries again. */
    static void run(Reconciliation reconciliation) {
        try {
            Reconciliation.Report report = reconciliation.reconcileAll();
            if (report.removed() > 0 || report.unknown() > 0 || report.failed() > 0) {
                LOG.warn("reconciliation with the access provider: {}", report);
            } else {
                LOG.info("reconciliation with the access provider: {}", report);
            }
        } catch (Exception e) {
            LOG.error("reconciliation with the access provider failed; the next round tries again: {}", e.getMessage());
        }
    }
}
