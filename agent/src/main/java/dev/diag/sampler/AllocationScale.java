package dev.diag.sampler;

/**
 * Go's {@code scaleHeapSample}: the JVM's heap sampler, like Go's runtime, takes about one allocation per {@code rate}
 * bytes, so an object of {@code s} bytes is sampled with probability {@code 1 - e^(-s/rate)}, and each sample stands
 * for {@code 1 / (1 - e^(-s/rate))} objects and {@code s} times that in bytes, which makes both unbiased.
 */
public final class AllocationScale {
    private AllocationScale() {}

    /** Returns how many objects one sample of an object of {@code size} bytes stands for at mean {@code rate}. */
    public static double objects(long size, long rate) {
        return 1 / -Math.expm1(-(double) Math.max(1, size) / rate);
    }

    /** Returns how many bytes one sample of an object of {@code size} bytes stands for at mean {@code rate}. */
    public static double bytes(long size, long rate) {
        return objects(size, rate) * Math.max(1, size);
    }
}
