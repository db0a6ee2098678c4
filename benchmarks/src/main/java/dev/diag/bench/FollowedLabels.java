package dev.diag.bench;

import dev.diag.labels.LabelTimeline;

import java.util.concurrent.locks.LockSupport;

/**
 * Label changes followed as the native CPU profile follows them, with the logs read on another thread every
 * millisecond (the sampler reads every 10 s: this is the harder case, writer and reader meeting).
 */
final class FollowedLabels implements AutoCloseable {
    private final LabelTimeline timeline = new LabelTimeline();
    private volatile boolean reading = true;

    FollowedLabels() {
        timeline.follow();
        Thread reader = new Thread(() -> {
            while (reading) {
                timeline.catchUp(Long.MAX_VALUE);
                LockSupport.parkNanos(1_000_000L);
            }
        }, "sample-reader");
        reader.setDaemon(true);
        reader.start();
    }

    LabelTimeline timeline() {
        return timeline;
    }

    /** Stops following and prints how many changes were dropped. */
    @Override
    public void close() {
        reading = false;
        timeline.unfollow();
        System.out.println("changes dropped: " + timeline.dropped());
    }
}
