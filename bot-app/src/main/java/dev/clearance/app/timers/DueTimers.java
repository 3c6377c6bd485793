package dev.clearance.app.timers;

import dev.clearance.core.port.TimerScheduler;
import dev.clearance.core.service.LifecycleTimers;
import org.quartz.JobDetail;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.TriggerKey;
import org.quartz.impl.matchers.GroupMatcher;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Runs, synchronously and in due order, the stored timers that are due by the injected clock. Lets tests move
 * time forward without waiting for Quartz's own thread (which follows the wall clock), while using the same job
 * store and the same job code.
 */
@Component
public class DueTimers {
    private final Scheduler scheduler;
    private final LifecycleTimers timers;
    private final TimerScheduler timerScheduler;
    private final Clock clock;

    DueTimers(Scheduler scheduler, LifecycleTimers timers, TimerScheduler timerScheduler, Clock clock) {
        this.scheduler = scheduler;
        this.timers = timers;
        this.timerScheduler = timerScheduler;
        this.clock = clock;
    }

    /** Fires every timer due now (including ones that firing makes due); returns how many fired. */
    public int fireDue() {
        int fired = 0;
        for (Optional<Trigger> next = nextDue(); next.isPresent(); next = nextDue()) {
            Trigger trigger = next.get();
            try {
                JobDetail job = scheduler.getJobDetail(trigger.getJobKey());
                scheduler.unscheduleJob(trigger.getKey());
                if (job != null) {
                    LifecycleTimerJob.run(job.getJobDataMap(), timers, timerScheduler, clock);
                    fired++;
                }
            } catch (SchedulerException e) {
                throw new IllegalStateException(e);
            }
        }
        return fired;
    }

    /** When the next stored timer is due, if any. */
    public Optional<Instant> nextDueAt() {
        return triggers().stream().map(Trigger::getNextFireTime).filter(Objects::nonNull).map(java.util.Date::toInstant)
                .min(Comparator.naturalOrder());
    }

    private Optional<Trigger> nextDue() {
        Instant now = clock.instant();
        return triggers().stream()
                .filter(t -> t.getNextFireTime() != null && !t.getNextFireTime().toInstant().isAfter(now))
                .min(Comparator.comparing(Trigger::getNextFireTime));
    }

    private List<Trigger> triggers() {
        try {
            return scheduler.getTriggerKeys(GroupMatcher.triggerGroupEquals(QuartzTimerScheduler.GROUP)).stream()
                    .map(this::trigger).filter(Objects::nonNull).toList();
        } catch (SchedulerException e) {
            throw new IllegalStateException(e);
        }
    }

    private Trigger trigger(TriggerKey key) {
        try {
            return scheduler.getTrigger(key);
        } catch (SchedulerException e) {
            throw new IllegalStateException(e);
        }
    }
}
