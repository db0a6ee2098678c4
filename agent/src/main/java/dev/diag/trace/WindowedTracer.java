package dev.diag.trace;

/**
 * Traces a window of a running JVM for {@code /debug/pprof/trace?seconds=F}: records for the given time and returns
 * the encoded trace, or reports that tracing is busy (Go answers 500 "tracing is already enabled" then).
 */
public final class WindowedTracer {
    /** Go's error text when a trace is requested while another one records. */
    public static final String BUSY = "Could not enable tracing: runtime error: tracing is already enabled";

    private final long maxBytes;
    private final TraceSources sources;

    public WindowedTracer(long maxBytes, TraceSources sources) {
        this.maxBytes = maxBytes;
        this.sources = sources;
    }

    /**
     * Records for {@code nanos} and returns the trace in {@code format}, or null when another trace is recording
     * (the caller answers {@link #BUSY}). Blocks the calling thread for the window, or until {@code stopping} says
     * the JVM is going down; a window of 0 or less records nothing but a well-formed, empty trace.
     */
    public byte[] record(long nanos, TraceFormat format, java.util.function.BooleanSupplier stopping)
            throws InterruptedException {
        TraceRecorder r = TraceRecorder.start(maxBytes, sources, nanos > 0);
        if (r == null) return null;
        Timeline t;
        try {
            long start = System.nanoTime();
            // Elapsed time against the window, never a deadline: now + a huge window overflows.
            for (long done; nanos > 0 && (done = System.nanoTime() - start) < nanos && !stopping.getAsBoolean(); ) {
                Thread.sleep(Math.max(1, Math.min((nanos - done) / 1_000_000, 100)));
            }
        } finally {
            t = r.stop(false);
        }
        return format.encode(t);
    }
}
