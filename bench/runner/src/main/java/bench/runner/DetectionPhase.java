package bench.runner;

import org.HdrHistogram.Histogram;

import java.util.List;

/** When each of a phase's items was sent and when its effect was seen (0: never), and when the sending ended. */
record DetectionPhase(long[] sent, long[] seen, long sendEnd) {
    long firstSent() {
        long first = Long.MAX_VALUE;
        for (long s : sent) {
            first = Math.min(first, s);
        }
        return first;
    }

    /** Items seen per second, from the first sent to the last seen. */
    String rate() {
        long last = 0;
        int seenCount = 0;
        for (long s : seen) {
            if (s != 0) {
                last = Math.max(last, s);
                seenCount++;
            }
        }
        return DetectionBench.fmt(seenCount / ((last - firstSent()) / 1e9)) + (seenCount < seen.length ? " (" + (seen.length - seenCount)
                + " of " + seen.length + " never seen)" : "");
    }

    String latencies() {
        Histogram h = new Histogram(3);
        for (int i = 0; i < sent.length; i++) {
            if (seen[i] != 0) {
                h.recordValue(Math.max(0, (seen[i] - sent[i]) / 1000));
            }
        }
        return DetectionBench.fmt(h.getValueAtPercentile(50) / 1000.0) + " / " + DetectionBench.fmt(h.getValueAtPercentile(99) / 1000.0) + " / "
                + DetectionBench.fmt(h.getMaxValue() / 1000.0);
    }

    /** Waits until each person's DM got its first post (the justification prompt); gives up after a minute without one. */
    static long[] prompts(FakeSlack slack, String prefix, int n, List<String> notes) throws InterruptedException {
        long[] seen = new long[n];
        int missing = n;
        long lastProgress = System.nanoTime();
        while (missing > 0 && System.nanoTime() - lastProgress < 60_000_000_000L) {
            Thread.sleep(20);
            for (int i = 0; i < n; i++) {
                if (seen[i] == 0) {
                    Long posted = slack.firstPost.get("D" + FakeSlack.userId(prefix + i + "@example.com"));
                    if (posted != null) {
                        seen[i] = posted;
                        missing--;
                        lastProgress = System.nanoTime();
                    }
                }
            }
        }
        if (missing > 0) {
            notes.add(prefix + ": " + missing + " of " + n + " requesters got no prompt within a minute of the last one");
        }
        return seen;
    }

    static void awaitQuiet(FakeSlack slack) throws InterruptedException {
        long last = -1;
        long stableSince = System.nanoTime();
        while (System.nanoTime() - stableSince < 2_000_000_000L) {
            long now = slack.calls.values().stream().mapToLong(java.util.concurrent.atomic.AtomicLong::get).sum();
            if (now != last) {
                last = now;
                stableSince = System.nanoTime();
            }
            Thread.sleep(200);
        }
    }
}
