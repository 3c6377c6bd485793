package dev.clearance.app.timers;

import dev.clearance.core.model.RequestId;
import dev.clearance.core.port.TimerKind;
import dev.clearance.core.port.TimerScheduler;
import dev.clearance.core.service.LifecycleTimers;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobDataMap;
import org.quartz.JobExecutionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** Quartz's side of a timer: carries only the request id and hands it to the core, which re-reads the state. */
@DisallowConcurrentExecution
public class LifecycleTimerJob implements Job {
    private static final Logger LOG = LoggerFactory.getLogger(LifecycleTimerJob.class);
    private static final Duration RETRY = Duration.ofMinutes(1);
    private final LifecycleTimers timers;
    private final TimerScheduler scheduler;
    private final Clock clock;

    public LifecycleTimerJob(LifecycleTimers timers, TimerScheduler scheduler, Clock clock) {
        this.timers = timers;
        this.scheduler = scheduler;
        this.clock = clock;
    }

    @Override
    public void execute(JobExecutionContext context) {
        run(context.getMergedJobDataMap(), timers, scheduler, clock);
    }

    static void run(JobDataMap data, LifecycleTimers timers, TimerScheduler scheduler, Clock clock) {
        RequestId id = new RequestId(data.getString(QuartzTimerScheduler.REQUEST_ID));
        TimerKind kind = TimerKind.valueOf(data.getString(QuartzTimerScheduler.KIND));
        Instant dueAt = Instant.ofEpochMilli(data.getLong(QuartzTimerScheduler.DUE_AT));
        try {
            timers.fire(id, kind, dueAt);
        } catch (RuntimeException e) {
            // NB: a timer must not be lost to a passing failure (database hiccup): try again shortly.
            LOG.error("timer {} for {} failed; retrying in {}", kind, id, RETRY, e);
            scheduler.schedule(id, kind, clock.instant().plus(RETRY));
        }
    }
}
