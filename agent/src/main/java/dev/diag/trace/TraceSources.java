package dev.diag.trace;

import dev.diag.base.Log;
import dev.diag.drain.RingDrainer;
import dev.diag.jfr.JfrSession;
import dev.diag.sampler.NativeSampler;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Where a trace's events come from besides the annotation hooks: the event ring that {@code diag-drainer} empties
 * (parks, wake-ups), async-profiler's native sampler (CPU samples) where it runs, and the shared JFR stream (monitors,
 * sleeps, threads, GC, and CPU samples under {@code engine=jfr}). One per agent; any may be missing, and a trace then
 * holds what the others give, after one {@code diag:} line.
 */
public final class TraceSources {
    private final JfrSession jfr;
    private final RingDrainer ring;
    private final Supplier<NativeSampler> sampler;
    private final RingFeed feed = new RingFeed();
    private final AtomicBoolean jfrWarned = new AtomicBoolean();

    /**
     * Connects traces to {@code ring} (the agent's shared drainer), {@code jfr} (null when this runtime has no JFR)
     * and the native sampler (asked for as the first trace starts; null where it does not run). Call once per agent.
     */
    public TraceSources(JfrSession jfr, RingDrainer ring, Supplier<NativeSampler> sampler) {
        this.jfr = jfr;
        this.ring = ring;
        this.sampler = sampler;
        ring.subscribe(feed);
    }

    RingFeed feed() {
        return feed;
    }

    /** Copies every record offered to the ring so far into the current trace before returning. */
    void drainRing() {
        ring.drainNow();
    }

    /**
     * Starts taking a trace's CPU samples from the native sampler, at most {@code budget} of them kept; null where it
     * does not run ({@code engine=jfr}, or it cannot load), and JFR's samples are taken instead.
     */
    NativeCpuSamples startNativeSamples(long budget) {
        try {
            NativeSampler s = sampler.get();
            return s == null ? null : NativeCpuSamples.start(s, budget);
        } catch (Throwable e) {
            Log.debug("trace: no native CPU samples (" + e + ")");
            return null;
        }
    }

    /**
     * Subscribes a trace's JFR events, CPU samples too when {@code withSamples}, at most {@code budget} of them kept;
     * null (one line, once) without JFR.
     */
    JfrTraceEvents startJfr(long budget, boolean withSamples) {
        JfrTraceEvents events = null;
        Throwable failure = null;
        try {
            if (jfr != null) events = JfrTraceEvents.start(jfr, budget, withSamples);
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
