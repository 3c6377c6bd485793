package dev.clearance.app.timers;

import dev.clearance.core.model.RequestId;
import dev.clearance.core.model.StoreUnavailableException;
import dev.clearance.core.port.TimerKind;
import dev.clearance.core.port.TimerScheduler;
import org.quartz.JobDetail;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.Date;

import static org.quartz.JobBuilder.newJob;

/**
 * Durable timers on Quartz's JDBC job store, in the application's database and transaction. One job per
 * (kind, request); each (re)schedule gets a fresh trigger key, so a job that reschedules itself while it runs is
 * never confused with the trigger that is completing. Misfires (due while the application was down) fire at once.
 */
@Component
public class QuartzTimerScheduler implements TimerScheduler {
    static final String GROUP = "clearance";
    static final String REQUEST_ID = "requestId";
    static final String KIND = "kind";
    static final String DUE_AT = "dueAt";

    private final Scheduler scheduler;

    QuartzTimerScheduler(Scheduler scheduler) {
        this.scheduler = scheduler;
    }

    @Override
    public void schedule(RequestId id, TimerKind kind, Instant at) {
        JobKey key = jobKey(id, kind);
        JobDetail job = newJob(LifecycleTimerJob.class)
                .withIdentity(key)
                .usingJobData(REQUEST_ID, id.value())
                .usingJobData(KIND, kind.name())
                .usingJobData(DUE_AT, at.toEpochMilli())
                .requestRecovery(true)
                .build();
        Trigger trigger = TriggerBuilder.newTrigger()
                .withIdentity(key.getName() + "@" + at.toEpochMilli() + "#" + System.nanoTime(), GROUP)
                .forJob(key)
                .startAt(Date.from(at))
                .withSchedule(SimpleScheduleBuilder.simpleSchedule().withMisfireHandlingInstructionFireNow())
                .build();
        try {
            deleteIfPresent(key);
            scheduler.scheduleJob(job, trigger);
        } catch (SchedulerException e) {
            throw new StoreUnavailableException("cannot schedule " + kind + " for " + id, e);
        }
    }

    @Override
    public void cancel(RequestId id, TimerKind kind) {
        try {
            deleteIfPresent(jobKey(id, kind));
        } catch (SchedulerException e) {
            throw new StoreUnavailableException("cannot cancel " + kind + " for " + id, e);
        }
    }

    /**
     * Quartz's deleteJob takes the scheduler-wide TRIGGER_ACCESS row lock, held until the command commits, even for
     * a job that does not exist (most cancels: a decision cancels three timer kinds). checkExists reads without it.
     * NB: safe because every timer change of a request runs in a transaction that has already written that request's
     * row (compare-and-swap), so no other transaction can be creating this job meanwhile.
     */
    private void deleteIfPresent(JobKey key) throws SchedulerException {
        if (scheduler.checkExists(key)) {
            scheduler.deleteJob(key);
        }
    }

    static JobKey jobKey(RequestId id, TimerKind kind) {
        return JobKey.jobKey(kind.name() + ":" + id.value(), GROUP);
    }
}
