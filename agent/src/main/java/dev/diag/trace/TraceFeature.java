package dev.diag.trace;

import dev.diag.base.OptionKey;
import dev.diag.base.Options;
import dev.diag.base.Sizes;
import dev.diag.drain.RingDrainer;
import dev.diag.feature.Feature;
import dev.diag.feature.FeatureContext;

import java.nio.file.Path;

/**
 * The execution tracer: makes traces available on demand ({@code /debug/pprof/trace}) and, with {@code trace=FILE},
 * records one from start to exit. Parks and wake-ups come from the shared ring drainer, the rest from JFR.
 */
public final class TraceFeature implements Feature {
    private final RingDrainer drainer;
    private volatile WindowedTracer tracer;
    private volatile boolean stoppedAtExit;

    /** A tracer that reads parks and wake-ups from {@code drainer}. */
    public TraceFeature(RingDrainer drainer) {
        this.drainer = drainer;
    }

    @Override
    public String name() {
        return "trace";
    }

    @Override
    public void start(FeatureContext context) {
        Options options = context.options();
        long max = Sizes.parseBytes(options.get(OptionKey.TRACE_MAX));
        var sources = new TraceSources(context.jfr(), drainer, context::nativeSampler);
        tracer = new WindowedTracer(max, sources);
        if (!options.isSet(OptionKey.TRACE)) return;
        var file = TraceFile.start(Path.of(options.get(OptionKey.TRACE)), max, sources);
        if (file != null) {
            // Registered after the exit took the stop actions (the app ended as this started), it never runs, and the
            // exit names the trace as not written.
            context.onStop(() -> {
                stoppedAtExit = true;
                file.stopAndWrite();
            });
        }
    }

    /** Returns the execution tracer for {@code /trace?seconds=F}, or null while it is not started. */
    public WindowedTracer tracer() {
        return tracer;
    }

    /**
     * Returns whether the exit stopped the {@code trace=FILE} recording and wrote it (or said why it could not); false
     * when it had not started by then.
     */
    public boolean stoppedAtExit() {
        return stoppedAtExit;
    }
}
