package dev.clearance.app.timers;

import org.quartz.JobDetail;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.util.Date;

import static org.quartz.JobBuilder.newJob;

/**
 * Schedules {@link ReconcileJob}: once as soon as the application is ready (startup), then every
 * {@code clearance.reconcile.interval} ({@code CLEARANCE_RECONCILE_INTERVAL}, 15 minutes; 0 runs it at startup only).
 * Each start replaces the stored schedule, so a changed interval takes effect.
 */
@Component
public class ReconcileSchedule {
    static final String GROUP = "clearance-reconcile";
    static final JobKey JOB = JobKey.jobKey("reconcile", GROUP);
    private final Scheduler scheduler;
    private final Duration interval;
    private final Clock clock;

    ReconcileSchedule(Scheduler scheduler, Clock clock,
                      @Value("${clearance.reconcile.interval:15m}") Duration interval) {
        if (interval.isNegative()) {
            throw new IllegalStateException("clearance.reconcile.interval (CLEARANCE_RECONCILE_INTERVAL) must be 0 (at startup"
                    + " only) or positive, was " + interval);
        }
        if (!interval.isZero() && interval.compareTo(Duration.ofSeconds(10)) < 0) {
            throw new IllegalStateException("clearance.reconcile.interval (CLEARANCE_RECONCILE_INTERVAL) must be at least 10s"
                    + " (every round asks the provider for everything it holds), was " + interval);
        }
        this.scheduler = scheduler;
        this.interval = interval;
        this.clock = clock;
    }

    @EventListener(ApplicationReadyEvent.class)
    public void schedule() throws SchedulerException {
        JobDetail job = newJob(ReconcileJob.class).withIdentity(JOB).storeDurably().build();
        SimpleScheduleBuilder repeat = interval.isZero()
                ? SimpleScheduleBuilder.simpleSchedule().withMisfireHandlingInstructionFireNow()
                : SimpleScheduleBuilder.simpleSchedule().withIntervalInMilliseconds(interval.toMillis()).repeatForever()
                        .withMisfireHandlingInstructionNextWithRemainingCount();
        Trigger trigger = TriggerBuilder.newTrigger().withIdentity("reconcile", GROUP).forJob(JOB)
                .startAt(Date.from(clock.instant())).withSchedule(repeat).build();
        scheduler.addJob(job, true);
        if (scheduler.checkExists(trigger.getKey())) {
            scheduler.rescheduleJob(trigger.getKey(), trigger);
        } else {
            scheduler.scheduleJob(trigger);
        }
    }
}
