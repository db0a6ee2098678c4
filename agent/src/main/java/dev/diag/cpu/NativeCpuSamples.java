package dev.diag.cpu;

import dev.diag.labels.ThreadLabels;
import dev.diag.sampler.NativeSampler;

/**
 * CPU samples from async-profiler ({@link NativeSampler}): one per {@code 1e9/cpu.hz} ns of a thread's CPU time, so
 * each stands for exactly that much CPU and no weighting is needed. Threads of the JVM itself (JIT compilers, GC)
 * are sampled too, as Go's profile shows its runtime's own work.
 */
final class NativeCpuSamples implements CpuSampleSource, NativeSampler.Listener {
    private final NativeSampler sampler;
    private final Sink sink;
    private volatile ThreadLabels labels;
    /** The newest sample's time; on the sampler's thread only. */
    private long latest;

    NativeCpuSamples(NativeSampler sampler, Sink sink) {
        this.sampler = sampler;
        this.sink = sink;
    }

    void showLabels(ThreadLabels threadLabels) {
        this.labels = threadLabels;
    }

    @Override
    public boolean start() {
        return true;
    }

    @Override
    public boolean startSampling() {
        ThreadLabels l = labels;
        if (l != null) l.follow();
        dev.diag.agent.Log.debug("cpu: sampling async-profiler cpu every " + sampler.cpuIntervalNanos() + " ns");
        return sampler.add(NativeSampler.Kind.CPU, this);
    }

    @Override
    public void stopSampling() {
        sampler.remove(NativeSampler.Kind.CPU, this);
        ThreadLabels l = labels;
        if (l != null) l.unfollow();
        dev.diag.agent.Log.debug("cpu: sampling stopped");
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
        return "diag: async-profiler cpu samples, one per " + sampler.cpuIntervalNanos() + " ns of thread CPU time"
                + (stopped == null ? "" : "; stopped early: " + stopped);
    }

    @Override
    public void onSample(NativeSampler.Sample s) {
        ThreadLabels l = labels;
        latest = s.epochNanos();
        sink.add(s.stack(), s.epochNanos(), sampler.cpuIntervalNanos(), 1,
                l == null || s.javaThreadId() <= 0 ? java.util.List.of() : l.at(s.javaThreadId(), s.epochNanos()));
    }

    /** Applies the label changes up to the last sample, so that the queue does not grow while no thread runs. */
    @Override
    public void onRotated() {
        ThreadLabels l = labels;
        if (l != null) l.at(0, latest);
    }
}
