package dev.diag.http;

import dev.diag.pprof.EpochNanos;
import dev.diag.pprof.GoProfiles;
import dev.diag.pprof.LegacyTextWriter;
import dev.diag.pprof.Profile;
import dev.diag.pprof.ProfileData;
import dev.diag.pprof.ProfileDelta;
import dev.diag.pprof.ProfileEncoder;
import dev.diag.pprof.ProfileRegistry;
import dev.diag.threads.Deadlocks;
import dev.diag.threads.GoroutineDumpWriter;
import dev.diag.threads.ThreadList;

import java.io.IOException;
import java.net.InetAddress;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * Serves {@code /NAME} for every registered profile, as Go's {@code pprof.Handler(name)}: lookup (404
 * {@code Unknown profile}) → a non-empty {@code seconds} takes the delta path → {@code gc=1} on heap collects first →
 * {@code debug} chooses proto or text.
 *
 * <p>Delta profiles ({@code seconds=N}) take snapshot p0, wait N seconds without holding a worker thread (a timer
 * completes the exchange later), take p1 and answer p1 − p0 by stack and labels, named {@code NAME-delta}. As in Go
 * 1.19 the delta keeps sample and period types but not {@code default_sample_type}, its time is p1's and its duration
 * p1 − p0. At most {@link DeltaSlots#MAX} wait at once, {@link DeltaSlots#PER_CLIENT} from one client address;
 * more are answered 503 (Go has no such limit, but a JVM thread pool is not goroutines). A client that hangs
 * up frees its slot within about a second.
 */
final class ProfileHandler {
    static final long PRESENCE_CHECK_SECONDS = 1;

    private final ProfileRegistry registry;
    private final ScheduledExecutorService timer;
    private final java.util.concurrent.Executor workers;
    private final LongSupplier mutexPeriod;
    private final WriteTimeout timeout;
    private final ServedProfiles served;
    private final DeltaSlots slots = new DeltaSlots();

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
        return slots.taken();
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
            ex.send(200, GoPprof.TEXT_PLAIN, null, GoroutineDumpWriter.write(ThreadList.all(),
                    Thread.currentThread().getId(), Deadlocks.threadIds()));
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
        InetAddress client = ex.clientAddress();
        if (!slots.take(client)) {
            ex.serveError(503, "too many delta profiles in progress (at most " + DeltaSlots.MAX + ", "
                    + DeltaSlots.PER_CLIENT + " per client)");
            return;
        }
        ProfileData p0;
        long t0;
        try {
            p0 = p.snapshot();
            t0 = EpochNanos.now();
        } catch (RuntimeException e) {
            slots.release(client);
            ex.serveError(500, GoPprof.ERR_COLLECT);
            return;
        }
        long waitNanos = seconds * 1_000_000_000L; // wraps like Go's time.Duration(sec)*time.Second
        PendingDelta pending = new PendingDelta(ex, p, p0, t0, client);
        if (waitNanos <= 0) {
            pending.finish();
            return;
        }
        try {
            pending.schedule(waitNanos);
        } catch (RejectedExecutionException e) {
            slots.release(client); // the server is stopping
            throw e;
        }
    }

    /**
     * A delta waiting for its second snapshot. It ends once: answered when the window is over, or dropped, its slot
     * freed, when the client hangs up first (checked every {@link #PRESENCE_CHECK_SECONDS} s, as Go's handler returns
     * when the request's context is done).
     */
    private final class PendingDelta {
        private final PprofExchange ex;
        private final Profile p;
        private final ProfileData p0;
        private final long t0;
        private final InetAddress client;
        private final AtomicBoolean ended = new AtomicBoolean();
        private volatile ScheduledFuture<?> answer;
        private volatile ScheduledFuture<?> presence;

        PendingDelta(PprofExchange ex, Profile p, ProfileData p0, long t0, InetAddress client) {
            this.ex = ex;
            this.p = p;
            this.p0 = p0;
            this.t0 = t0;
            this.client = client;
        }

        void schedule(long waitNanos) {
            answer = timer.schedule(this::windowOver, waitNanos, TimeUnit.NANOSECONDS);
            presence = timer.scheduleWithFixedDelay(this::checkPresence, PRESENCE_CHECK_SECONDS,
                    PRESENCE_CHECK_SECONDS, TimeUnit.SECONDS);
        }

        private void windowOver() {
            if (!ended.compareAndSet(false, true)) return;
            cancel(presence);
            try {
                workers.execute(this::answer);
            } catch (RejectedExecutionException e) {
                answer(); // workers saturated: answer from the timer rather than never
            }
        }

        private void checkPresence() {
            if (ended.get()) { // answered: the socket is the JDK's again
                cancel(presence);
                return;
            }
            if (!ex.clientGone() || !ended.compareAndSet(false, true)) return;
            cancel(answer);
            cancel(presence);
            ex.close();
            slots.release(client);
        }

        /** Answers at once (a window that wrapped to 0 or less). */
        void finish() {
            ended.set(true);
            answer();
        }

        private void answer() {
            try {
                finishDelta(ex, p, p0, t0);
            } finally {
                slots.release(client);
            }
        }

        private void cancel(Future<?> f) {
            if (f != null) f.cancel(false);
        }
    }

    private void finishDelta(PprofExchange ex, Profile p, ProfileData p0, long t0) {
        try {
            ProfileData p1;
            long t1;
            try {
                p1 = p.snapshot();
                t1 = EpochNanos.now();
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
        }
    }

}
