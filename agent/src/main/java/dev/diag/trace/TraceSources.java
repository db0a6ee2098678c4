package dev.diag.trace;

import dev.diag.base.Log;
import dev.diag.drain.RingDrainer;
import dev.diag.jfr.JfrSession;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Where a trace's events come from besides the annotation hooks: the event ring that {@code diag-drainer} empties
 * (parks, wake-ups) and the shared JFR stream (monitors, sleeps, threads, GC, CPU samples). One per agent; either may
 * be missing, and a trace then holds what the other gives, after one {@code diag:} line.
 */
public final class TraceSources {
    private final JfrSession jfr;
    private final RingDrainer ring;
    private final RingFeed feed = new RingFeed();
    private final AtomicBoolean jfrWarned = new AtomicBoolean();

    /**
     * Connects traces to {@code ring} (the agent's shared drainer) and {@code jfr} (null when this runtime has no
     * JFR). Call once per agent.
     */
    public TraceSources(JfrSession jfr, RingDrainer ring) {
        this.jfr = jfr;
        this.ring = ring;
        ring.subscribe(feed);
    }

    RingFeed feed() {
        return feed;
    }

    /** Copies every record offered to the ring so far into the current trace before returning. */
    void drainRing() {
        ring.drainNow();
    }

    /** Subscribes a trace's JFR events, at most {@code budget} of them kept; null (one line, once) without JFR. */
    JfrTraceEvents startJfr(long budget) {
        JfrTraceEvents events = null;
        Throwable failure = null;
        try {
            if (jfr != null) events = JfrTraceEvents.start(jfr, budget);
        } catch (Throwable e) {
            failure = e;
        }
        if (events == null && jfrWarned.compareAndSet(false, true)) {
            Log.featureError("trace: JFR unavailable" + (failure == null ? "" : " (" + failure + ")")
                    + "; traces hold no monitor waits, sleeps, GC or CPU samples", failure);
        }
        return events;
    }
}
