package dev.diag.http;

import dev.diag.pprof.GoProfiles;
import dev.diag.pprof.LegacyTextWriter;
import dev.diag.pprof.Profile;
import dev.diag.pprof.ProfileData;
import dev.diag.pprof.ProfileDelta;
import dev.diag.pprof.ProfileEncoder;
import dev.diag.pprof.ProfileRegistry;
import dev.diag.threads.GoroutineDumpWriter;
import dev.diag.threads.ThreadList;

import java.io.IOException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * Serves {@code /NAME} for every registered profile, as Go's {@code pprof.Handler(name)}: lookup (404
 * {@code Unknown profile}) → a non-empty {@code seconds} takes the delta path → {@code gc=1} on heap collects first →
 * {@code debug} chooses proto or text.
 *
 * <p>Delta profiles ({@code seconds=N}) take snapshot p0, wait N seconds without holding a worker thread (a timer
 * completes the exchange later), take p1 and answer p1 − p0 by stack and labels, named {@code NAME-delta}. As in Go
 * 1.19 the delta keeps sample and period types but not {@code default_sample_type}, its time is p1's and its duration
 * p1 − p0. At most {@link #MAX_PENDING_DELTAS} wait at once; more are answered 503 (Go has no such limit, but a JVM
 * thread pool is not goroutines).
 */
final class ProfileHandler {
    static final int MAX_PENDING_DELTAS = 32;

    private final ProfileRegistry registry;
    private final ScheduledExecutorService timer;
    private final java.util.concurrent.Executor workers;
    private final LongSupplier mutexPeriod;
    private final WriteTimeout timeout;
    private final ServedProfiles served;
    private final AtomicInteger pendingDeltas = new AtomicInteger();

    ProfileHandler(ProfileRegistry registry, ScheduledExecutorService timer, java.util.concurrent.Executor workers,
                   LongSupplier mutexPeriod, WriteTimeout timeout, ServedProfiles served) {
        this.served = served;
        this.registry = registry;
        this.timer = timer;
        this.workers = workers;
        this.mutexPeriod = mutexPeriod;
        this.timeout = timeout;
    }

    /** Returns how many delta profiles wait for their second snapshot (shown in /debug/vars). */
    int pendingDeltas() {
        return pendingDeltas.get();
    }

    void serve(PprofExchange ex, String name) throws IOException {
        Profile p = registry.lookup(name);
        if (p == null) {
            ex.serveError(404, GoPprof.ERR_UNKNOWN_PROFILE);
            return;
        }
        String seconds = ex.formValue("seconds");
        if (!seconds.isEmpty()) {
            serveDelta(ex, p, seconds);
            return;
        }
        if (name.equals(GoProfiles.HEAP) && GoStrconv.atoi(ex.formValue("gc")) > 0) System.gc();
        long debug = GoStrconv.atoi(ex.formValue("debug"));
        if (debug == 0) {
            ex.send(200, GoPprof.OCTET_STREAM, "attachment; filename=\"" + name + "\"", ProfileEncoder.toGzip(p.snapshot()));
            served.served(name);
            return;
        }
        // debug != 0: text/plain whatever the body is, as Go sets the type before the profile writes.
        if (name.equals(GoProfiles.GOROUTINE) && debug >= 2) {
            ex.send(200, GoPprof.TEXT_PLAIN, null, GoroutineDumpWriter.write(ThreadList.all(), Thread.currentThread().getId()));
            served.served(name);
            return;
        }
        ProfileData data = p.snapshot();
        boolean heapText = data.sampleTypes().equals(GoProfiles.MEMORY_TYPES);
        if (debug < 0 && !heapText) {
            // Go's count and contention writers emit the proto for debug < 0; the heap writer emits text.
            ex.send(200, GoPprof.TEXT_PLAIN, null, ProfileEncoder.toGzip(data));
            served.served(name);
            return;
        }
        ex.send(200, GoPprof.TEXT_PLAIN, null, LegacyTextWriter.write(name, data, mutexPeriod.getAsLong()));
        served.served(name);
    }

    private void serveDelta(PprofExchange ex, Profile p, String secondsText) throws IOException {
        Long seconds = GoStrconv.parseInt(secondsText);
        if (seconds == null || seconds <= 0) {
            ex.serveError(400, GoPprof.ERR_BAD_SECONDS);
            return;
        }
        if (!GoPprof.DELTA_PROFILES.contains(p.name())) {
            ex.serveError(400, GoPprof.ERR_SECONDS_UNSUPPORTED);
            return;
        }
        if (timeout.exceeds(seconds)) {
            ex.serveError(400, GoPprof.ERR_WRITE_TIMEOUT);
            return;
        }
        if (GoStrconv.atoi(ex.formValue("debug")) != 0) {
            ex.serveError(400, GoPprof.ERR_SECONDS_AND_DEBUG);
            return;
        }
        if (pendingDeltas.incrementAndGet() > MAX_PENDING_DELTAS) {
            pendingDeltas.decrementAndGet();
            ex.serveError(503, "too many delta profiles in progress (at most " + MAX_PENDING_DELTAS + ")");
            return;
        }
        ProfileData p0;
        long t0;
        try {
            p0 = p.snapshot();
            t0 = nowNanos();
        } catch (RuntimeException e) {
            pendingDeltas.decrementAndGet();
            ex.serveError(500, GoPprof.ERR_COLLECT);
            return;
        }
        long waitNanos = seconds * 1_000_000_000L; // wraps like Go's time.Duration(sec)*time.Second
        if (waitNanos <= 0) {
            finishDelta(ex, p, p0, t0);
            return;
        }
        Runnable finish = () -> {
            try {
                workers.execute(() -> finishDelta(ex, p, p0, t0));
            } catch (RejectedExecutionException e) {
                finishDelta(ex, p, p0, t0); // workers saturated: answer from the timer rather than never
            }
        };
        try {
            timer.schedule(finish, waitNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            pendingDeltas.decrementAndGet(); // the server is stopping
            throw e;
        }
    }

    private void finishDelta(PprofExchange ex, Profile p, ProfileData p0, long t0) {
        try {
            ProfileData p1;
            long t1;
            try {
                p1 = p.snapshot();
                t1 = nowNanos();
            } catch (RuntimeException e) {
                ex.serveError(500, GoPprof.ERR_COLLECT);
                return;
            }
            ProfileData delta;
            try {
                ProfileData d = ProfileDelta.between(p0, p1);
                delta = new ProfileData(d.sampleTypes(), null, d.periodType(), d.period(), t1, t1 - t0,
                        d.samples(), d.comments());
            } catch (RuntimeException e) {
                ex.serveError(500, GoPprof.ERR_DELTA);
                return;
            }
            ex.send(200, GoPprof.OCTET_STREAM, "attachment; filename=\"" + p.name() + "-delta\"",
                    ProfileEncoder.toGzip(delta));
            served.served(p.name());
        } catch (IOException e) {
            ex.close(); // the client went away while we waited
        } catch (Throwable e) {
            PprofRouter.failed(ex, e);
        } finally {
            pendingDeltas.decrementAndGet();
        }
    }

    private static long nowNanos() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }
}
