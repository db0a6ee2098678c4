package dev.diag.trace;

import dev.diag.base.DiagThreads;
import dev.diag.pprof.EpochNanos;
import dev.diag.sampler.NativeSampler;
import dev.diag.stack.Frame;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A trace's CPU samples from async-profiler's native sampler, when it runs: one per {@code cpu.hz} period of each
 * thread's CPU time (1 ms by default, where JFR's {@code jdk.ExecutionSample} gave one per 10 ms of wall time), with
 * async-profiler's stacks, each on the goroutine of the Java thread that ran on the sampled OS thread at the time
 * ({@link NativeSampler.Sample#javaThreadId()}). JVM threads (compilers, GC) and diag's own threads are left out, as
 * the JFR samples leave them out. Listens from the trace's start; its stop has the sampler hand over everything until
 * then. Keeps at most {@code budget} samples: past it, the earliest refused sample's time ends the trace.
 */
final class NativeCpuSamples implements NativeSampler.Listener {
    /** One sample, on the sampler's clock (epoch nanoseconds). */
    private record Item(long tid, long epochNanos, Frame[] stack) {}

    private final NativeSampler sampler;
    private final long budget;
    /** {@code System.nanoTime()} to epoch nanoseconds, the samples' clock, as the trace starts. */
    private final long epochOffset = EpochNanos.now() - System.nanoTime();
    private final long startEpochNanos;
    private final List<Item> items = new ArrayList<>();
    private long refusedAt = Long.MAX_VALUE;
    private long refused;

    private NativeCpuSamples(NativeSampler sampler, long budget) {
        this.sampler = sampler;
        this.budget = budget;
        this.startEpochNanos = EpochNanos.now();
    }

    /** Starts listening; returns null when the sampler cannot record CPU samples (it said why, once). */
    static NativeCpuSamples start(NativeSampler sampler, long budget) {
        NativeCpuSamples s = new NativeCpuSamples(sampler, budget);
        sampler.watch(true); // someone waits for the trace: its samples come at cpu.hz exactly
        if (sampler.add(NativeSampler.Kind.CPU, s)) return s;
        sampler.watch(false);
        return null;
    }

    @Override
    public synchronized void onSample(NativeSampler.Sample s) {
        // The rotation that starts listening hands over the samples taken before the trace: not this trace's.
        if (s.epochNanos() < startEpochNanos || s.javaThreadId() <= 0) return;
        if (items.size() >= budget) {
            refused++;
            refusedAt = Math.min(refusedAt, s.epochNanos());
            return;
        }
        items.add(new Item(s.javaThreadId(), s.epochNanos(), s.stack()));
    }

    /**
     * Has the sampler hand over every sample taken until now, and stops listening. At the JVM's exit the sampler is
     * closed (it would be next, and a rotation would start the profiler again only to stop it).
     */
    void stop(boolean atExit) {
        try {
            if (atExit) sampler.close();
            else sampler.rotate();
        } finally {
            sampler.remove(NativeSampler.Kind.CPU, this);
            sampler.watch(false);
        }
    }

    /**
     * Ends the trace at the first refused sample, if any (call after {@link #stop}, before any event is added: an event
     * added before the end moved would run past it).
     */
    synchronized void truncate(TimelineBuilder b) {
        if (refused > 0) b.truncate(refusedAt - epochOffset, refused);
    }

    /** Adds the samples to {@code b}, after {@link #truncate}. */
    synchronized void replayInto(TimelineBuilder b) {
        Set<Long> diag = diagThreadIds();
        for (Item i : items) {
            if (!diag.contains(i.tid())) b.addSample(i.tid(), i.epochNanos() - epochOffset, i.stack());
        }
    }

    private static Set<Long> diagThreadIds() {
        ThreadGroup group = DiagThreads.group();
        Thread[] threads = new Thread[group.activeCount() + 16];
        int n = group.enumerate(threads);
        Set<Long> ids = new HashSet<>();
        for (int i = 0; i < n; i++) ids.add(threads[i].getId());
        return ids;
    }
}
