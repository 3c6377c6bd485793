package dev.clearance.adapters.access.aws;

import java.time.Duration;

/** How the provider waits between status polls; tests pass one that returns at once and counts. */
@FunctionalInterface
public interface Pause {
    void pause(Duration d) throws InterruptedException;

    Pause SLEEP = d -> Thread.sleep(d.toMillis());
}
