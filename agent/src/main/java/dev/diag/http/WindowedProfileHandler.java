package dev.diag.http;

import dev.diag.pprof.EpochNanos;
import dev.diag.pprof.ProfileData;
import dev.diag.pprof.ProfileEncoder;
import dev.diag.pprof.WindowedProfiler;

import java.io.IOException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Serves {@code /profile?seconds=N} as Go's {@code pprof.Profile}, and diag's {@code /wall?seconds=N} the same way:
 * N is a base-10 integer, anything else or ≤ 0 means 30; N seconds wrap in int64 nanoseconds as in Go (a huge N
 * answers at once with an empty profile). While another request for the same profile records, answers 500
 * {@code Could not enable CPU profiling: cpu profiling already in use}. The worker thread waits for the window: only
 * one such request runs at a time, the others are refused at once. A client that hangs up ends the window early (Go
 * stops the profile when the request's context is done).
 */
final class WindowedProfileHandler implements Endpoint {
    /** Why CPU profiling is unavailable, when the agent has no CPU profiler. */
    static final String NOT_AVAILABLE = "diag's CPU profiler is not running in this JVM";

    private final String name;
    private final Supplier<WindowedProfiler> profiler;
    private final String errorPrefix;
    private final String notAvailable;
    private final BooleanSupplier stopping;
    private final WriteTimeout timeout;
    private final ServedProfiles served;

    private WindowedProfileHandler(String name, Supplier<WindowedProfiler> profiler,
                                   String errorPrefix, String notAvailable, BooleanSupplier stopping,
                                   WriteTimeout timeout, ServedProfiles served) {
        this.name = name;
        this.profiler = profiler;
        this.errorPrefix = errorPrefix;
        this.notAvailable = notAvailable;
        this.served = served;
        this.stopping = stopping;
        this.timeout = timeout;
    }

    /** Go's {@code /debug/pprof/profile}. */
    static WindowedProfileHandler cpu(Supplier<WindowedProfiler> profiler, BooleanSupplier stopping, WriteTimeout timeout,
                                      ServedProfiles served) {
        return new WindowedProfileHandler("profile", profiler, GoPprof.ERR_CPU_PREFIX, NOT_AVAILABLE,
                stopping, timeout, served);
    }

    /** diag's {@code /debug/pprof/wall}: every thread's wall-clock time, running or waiting (native engine only). */
    static WindowedProfileHandler wall(Supplier<WindowedProfiler> profiler, BooleanSupplier stopping, WriteTimeout timeout,
                                       ServedProfiles served) {
        return new WindowedProfileHandler(dev.diag.cpu.CpuFeature.WALL, profiler, "Could not enable wall profiling: ",
                "the wall profile needs diag's native engine, which is not running in this JVM", stopping, timeout,
                served);
    }

    @Override
    public void serve(PprofExchange ex) throws IOException {
        Long parsed = GoStrconv.parseInt(ex.formValue("seconds"));
        long seconds = parsed == null || parsed <= 0 ? 30 : parsed;
        if (timeout.exceeds(seconds)) {
            ex.serveError(400, GoPprof.ERR_WRITE_TIMEOUT);
            return;
        }
        WindowedProfiler cpu = profiler.get();
        if (cpu == null) {
            ex.serveError(501, errorPrefix + notAvailable);
            return;
        }
        ProfileData data;
        long startNanos = EpochNanos.now();
        try {
            // The window ends early when the client hangs up, as Go's does, so the profiler is free again at once.
            data = cpu.record(seconds * 1_000_000_000L, // wraps like Go's time.Duration(sec)*time.Second
                    () -> stopping.getAsBoolean() || ex.clientGone(), () -> commitHeaders(ex));
        } catch (WindowedProfiler.ProfilerBusyException e) {
            ex.serveError(500, errorPrefix + e.getMessage());
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ex.close();
            return;
        }
        if (ex.clientGone()) {
            ex.close();
            return;
        }
        if (data.timeNanos() == 0 || data.durationNanos() <= 0) {
            // Go always stamps a CPU profile with its start and length, even an empty one (a wrapped `seconds`).
            long time = data.timeNanos() == 0 ? startNanos : data.timeNanos();
            data = data.withSamples(data.samples(), time, Math.max(1, EpochNanos.now() - time));
        }
        ex.send(200, GoPprof.OCTET_STREAM, disposition(), ProfileEncoder.toGzip(data));
        served.served(name);
    }

    private void commitHeaders(PprofExchange ex) {
        try {
            ex.commitHeaders(200, GoPprof.OCTET_STREAM, disposition());
        } catch (IOException e) {
            // The client is gone: clientGone() now says so, and the window ends at its next check.
        }
    }

    private String disposition() {
        return "attachment; filename=\"" + name + "\"";
    }

}
