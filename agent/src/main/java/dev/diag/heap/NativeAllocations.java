package dev.diag.heap;

import dev.diag.pprof.Label;
import dev.diag.pprof.StackValueTable;
import dev.diag.sampler.AllocationScale;
import dev.diag.sampler.NativeSampler;

import java.util.List;

/**
 * Allocations from async-profiler's native sampler, which samples as Go's runtime does: about one allocation per
 * {@code alloc.rate} bytes, by the JVM's own heap sampler (JVMTI {@code SampledObjectAlloc}), each sample with the
 * object's exact size, scaled as Go scales its samples ({@link AllocationScale}: unbiased objects and bytes) and then by
 * its thread's correction ({@link NativeSampler.Sample#allocWeight()}): a thread's bytes add up to what the JVM counted
 * it allocating, and its samples decide only how they split between stacks. Each sample carries the labels its thread
 * had when it allocated ({@code dev.diag.api.Labels}).
 */
final class NativeAllocations implements Allocations, NativeSampler.Listener {
    private final NativeSampler sampler;
    private final StackValueTable table = new StackValueTable(2);
    /** The newest sample's time; on the sampler's thread only. */
    private long latest;

    NativeAllocations(NativeSampler sampler) {
        this.sampler = sampler;
    }

    @Override
    public boolean start() {
        sampler.labels().follow();
        if (sampler.add(NativeSampler.Kind.ALLOC, this)) return true;
        sampler.labels().unfollow();
        return false;
    }

    @Override
    public void catchUp() {
        sampler.rotate();
    }

    @Override
    public void finish() {
        sampler.close();
    }

    @Override
    public StackValueTable table() {
        return table;
    }

    @Override
    public List<String> comments() {
        return List.of("diag: alloc_* from async-profiler allocation samples, one per " + sampler.allocIntervalBytes()
                + " bytes on average, scaled by object size as Go's runtime scales its samples");
    }

    @Override
    public void onSample(NativeSampler.Sample s) {
        long[] v = scaled(s.objectSize(), sampler.allocIntervalBytes(), s.allocWeight());
        List<Label> labels = s.osThreadId() <= 0 ? List.of() : sampler.labels().at(s.osThreadId(), s.epochNanos());
        table.add(s.stack(), labels, v[0], v[1]);
        latest = s.epochNanos();
    }

    /** Reads the label logs up to the newest sample, so that they do not grow while no CPU profile reads them. */
    @Override
    public void onRotated() {
        sampler.labels().catchUp(latest);
    }

    /**
     * Returns {@code [objects, bytes]} one sample of an object of {@code size} bytes stands for at mean {@code rate},
     * times {@code weight} (its thread's correction to the bytes it really allocated, 1 when unknown).
     */
    static long[] scaled(long size, long rate, double weight) {
        double objects = AllocationScale.objects(size, rate) * weight;
        return new long[] {Math.round(objects), Math.round(objects * Math.max(1, size))};
    }
}
