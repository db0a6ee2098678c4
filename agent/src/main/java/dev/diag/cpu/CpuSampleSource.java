package dev.diag.cpu;

import dev.diag.pprof.Label;
import dev.diag.stack.Frame;

import java.util.List;

/** Where the CPU profile's samples come from: async-profiler's native sampler, or JFR where that cannot run. */
interface CpuSampleSource {
    /** Receives each sample with the CPU time it stands for. */
    interface Sink {
        /** @param samples 1 for a sample, 0 for CPU time added later to an earlier sample's stack */
        void add(Frame[] stack, long epochNanos, long cpuNanos, int samples, List<Label> labels);
    }

    /** Starts sampling: some window needs samples from now on. Returns false when sampling could not start. */
    boolean startSampling();

    /**
     * Says a window someone waits for (a {@code ?seconds=N} request, a {@code profile} command) starts or ends: the
     * source may sample more finely, at more cost, while one runs.
     */
    default void watch(boolean starts) {}

    /** Stops sampling: no window needs samples any more. */
    void stopSampling();

    /** Hands over every sample taken until now; returns false when that could not be done in time. */
    boolean catchUp() throws InterruptedException;

    /** At the JVM's exit, once it has waited for the source: hands over what is still held. */
    void finish();

    /** The profile comment that says where the samples came from. */
    String description();
}
