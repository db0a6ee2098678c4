package dev.diag.http;

import dev.diag.trace.TraceFormat;
import dev.diag.trace.WindowedTracer;

import java.io.IOException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Serves {@code /trace?seconds=F} as Go's {@code pprof.Trace}: F is a Go float, anything else or ≤ 0 means 1; the
 * answer is an execution trace of that window in Go's format ({@code go tool trace} reads it), or Perfetto's or
 * Chrome's JSON with {@code format=perfetto|json}. While another trace records (another request, or
 * {@code trace=FILE}), answers 500 {@code Could not enable tracing: runtime error: tracing is already enabled}. A
 * client that hangs up ends the window early.
 */
final class TraceHandler implements Endpoint {
    static final String NOT_AVAILABLE = "diag's execution tracer is not running in this JVM";

    private final Supplier<WindowedTracer> tracer;
    private final BooleanSupplier stopping;
    private final WriteTimeout timeout;
    private final ServedProfiles served;

    TraceHandler(Supplier<WindowedTracer> tracer, BooleanSupplier stopping, WriteTimeout timeout, ServedProfiles served) {
        this.served = served;
        this.tracer = tracer;
        this.stopping = stopping;
        this.timeout = timeout;
    }

    @Override
    public void serve(PprofExchange ex) throws IOException {
        String secondsParam = ex.formValue("seconds");
        if (timeout.exceeds(windowSeconds(secondsParam))) {
            ex.serveError(400, GoPprof.ERR_WRITE_TIMEOUT);
            return;
        }
        long window = windowNanos(secondsParam);
        TraceFormat format = TraceFormat.ofParameter(ex.formValue("format"));
        if (format == null) {
            ex.serveError(400, "unknown trace format (want go, perfetto or json)");
            return;
        }
        WindowedTracer tracer = this.tracer.get();
        if (tracer == null) {
            ex.serveError(501, GoPprof.ERR_TRACE_PREFIX + NOT_AVAILABLE);
            return;
        }
        byte[] trace;
        try {
            // The window ends early when the client hangs up, as Go's does, so the tracer is free again at once.
            trace = tracer.record(window, format, () -> stopping.getAsBoolean() || ex.clientGone());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ex.close();
            return;
        }
        if (ex.clientGone()) {
            ex.close();
            return;
        }
        if (trace == null) {
            ex.serveError(500, WindowedTracer.BUSY);
            return;
        }
        ex.send(200, format == TraceFormat.JSON ? GoPprof.JSON : GoPprof.OCTET_STREAM,
                "attachment; filename=\"trace\"", trace);
        served.served("trace");
    }

    /** Returns Go's trace window for a {@code seconds} value: default 1 s; NaN, inf and huge values are negative. */
    static long windowNanos(String secondsParam) {
        return GoStrconv.secondsToNanos(windowSeconds(secondsParam));
    }

    private static double windowSeconds(String secondsParam) {
        Double parsed = GoStrconv.parseFloat(secondsParam);
        return parsed == null || parsed <= 0 ? 1 : parsed; // NaN passes, as in Go
    }
}
