package dev.diag.cpu;

import dev.diag.base.Log;
import dev.diag.labels.LabelTimeline;
import dev.diag.pprof.Label;
import dev.diag.sampler.NativeSampler;

import java.util.ArrayList;
import java.util.List;

/**
 * Samples from async-profiler ({@link NativeSampler}) for one profile. CPU: one sample per interval of a thread's CPU
 * time, so each stands for exactly that much CPU and no weighting is needed; threads of the JVM itself (JIT
 * compilers, GC) are sampled too, as Go's profile shows its runtime's own work. Wall: every thread once per interval
 * of wall-clock time, running or not (an idle thread's unchanged periods arrive as one sample that counts them all),
 * labelled {@code state=running} or {@code state=waiting}.
 */
final class NativeSamples implements CpuSampleSource, NativeSampler.Listener {
    private static final List<Label> RUNNING = List.of(Label.string("state", "running"));
    private static final List<Label> WAITING = List.of(Label.string("state", "waiting"));

    private final NativeSampler sampler;
    private final NativeSampler.Kind kind;
    private final long intervalNanos;
    private final Sink sink;
    private volatile LabelTimeline labels;
    /** The newest sample's time; on the sampler's thread only. */
    private long latest;

    NativeSamples(NativeSampler sampler, NativeSampler.Kind kind, Sink sink) {
        this.sampler = sampler;
        this.kind = kind;
        this.intervalNanos = kind == NativeSampler.Kind.WALL ? sampler.wallIntervalNanos() : sampler.cpuIntervalNanos();
        this.sink = sink;
    }

    void showLabels(LabelTimeline threadLabels) {
        this.labels = threadLabels;
    }

    @Override
    public boolean startSampling() {
        LabelTimeline l = labels;
        if (l != null) l.follow();
        Log.debug(name() + ": sampling async-profiler " + name() + " every " + intervalNanos + " ns");
        if (sampler.add(kind, this)) return true;
        if (l != null) l.unfollow();
        return false;
    }

    @Override
    public void watch(boolean starts) {
        if (kind == NativeSampler.Kind.CPU) sampler.watch(starts);
    }

    @Override
    public void stopSampling() {
        sampler.remove(kind, this);
        LabelTimeline l = labels;
        if (l != null) l.unfollow();
        Log.debug(name() + ": sampling stopped");
    }

    @Override
    public boolean catchUp() {
        return sampler.rotate();
    }

    @Override
    public void finish() {
        sampler.close();
    }

    @Override
    public String description() {
        String stopped = sampler.stoppedBecause();
        String timers = sampler.cpuTimersUsed();
        String what = kind == NativeSampler.Kind.WALL
                ? "diag: async-profiler wall-clock samples of every thread, one per " + intervalNanos + " ns"
                : "diag: async-profiler cpu samples by " + timers + ", one per " + intervalNanos + " ns of thread CPU"
                + " time" + (timers.contains("ctimer") ? " (by ctimer at most one per tick of the kernel)" : "")
                + ", each weighted by its thread's CPU time as the kernel measured it";
        return what + (stopped == null ? "" : "; stopped early: " + stopped);
    }

    @Override
    public void onSample(NativeSampler.Sample s) {
        latest = s.epochNanos();
        LabelTimeline l = labels;
        List<Label> own = l == null || s.osThreadId() <= 0 ? List.of() : l.at(s.osThreadId(), s.epochNanos());
        List<Label> sampleLabels = own;
        if (kind == NativeSampler.Kind.WALL) {
            List<Label> state = "STATE_RUNNABLE".equals(s.state()) ? RUNNING : WAITING;
            if (own.isEmpty()) {
                sampleLabels = state;
            } else {
                sampleLabels = new ArrayList<>(own.size() + 1);
                sampleLabels.addAll(own);
                sampleLabels.addAll(state);
            }
        }
        // A CPU sample stands for its share of its thread's measured CPU time (see NativeSampler).
        long nanos = kind == NativeSampler.Kind.CPU ? s.cpuNanos() : s.count() * intervalNanos;
        sink.add(s.stack(), s.epochNanos(), nanos, (int) s.count(), sampleLabels);
    }

    /** Applies the label changes up to the last sample, so that the queue does not grow while no thread runs. */
    @Override
    public void onRotated() {
        LabelTimeline l = labels;
        if (l != null) l.catchUp(latest);
    }

    private String name() {
        return kind == NativeSampler.Kind.WALL ? "wall" : "cpu";
    }
}
