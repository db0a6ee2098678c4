package dev.diag.continuous;

import dev.diag.base.DiagThreads;
import dev.diag.base.FileErrors;
import dev.diag.base.Log;
import dev.diag.cpu.CpuFeature;
import dev.diag.feature.FeatureContext;
import dev.diag.pprof.ProfileData;
import dev.diag.push.WindowPusher;

import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Continuous profiling into files and to a push target (Pyroscope, OTLP): every {@code interval}, record a window of {@code duration} and
 * write one file per profile, {@code <name>-<UTC time>.pb.gz}, next to the whole-run files of {@code out=} (then delete
 * the windows beyond {@code out.keep}/{@code out.max}), and queue each profile's window for {@code push=}.
 *
 * <p>What a window holds, by profile, is {@link ProfileWindow}'s. Windows run on one {@code diag-continuous} thread.
 *
 * <p>A window that cannot be written (a full disk) is counted in {@code continuous.windows_failed}; the first failure
 * prints one line and the next window written prints one more, so a disk full for a day does not flood stderr.
 */
public final class ContinuousProfiler {
    /** How long shutdown waits for a window's files to be written; a window is cut short within ~100 ms. */
    private static final long STOP_WAIT_MS = 2_000;
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final FeatureContext agent;
    private final CpuFeature cpu;
    /** Null without out=. */
    private final ProfileFiles files;
    private final WindowHistory history;
    /** Null without push=. */
    private final WindowPusher pusher;
    /** Samples per second of the clock-sampled profiles, by name, as Pyroscope's sampleRate. */
    private final Map<String, Long> sampleRates;
    private final Set<String> profiles;
    private final long intervalNanos;
    private final long durationNanos;
    /** Windows not written since start, over every restart by re-attach (one JVM, one count, as Go's expvar). */
    private static final AtomicLong FAILED_WINDOWS = new AtomicLong();

    private volatile boolean stopped;
    /** Whether the last window failed: said once when it starts failing, once when it works again. */
    private boolean failing;
    private long failedInARow;
    private boolean pruneFailing;
    private Thread thread;
    /** The last pushed window's until in Unix seconds, so that back-to-back windows share their boundary second. */
    private long lastUntilSecond = Long.MIN_VALUE;

    public ContinuousProfiler(FeatureContext agent, CpuFeature cpu, ProfileFiles files, WindowHistory history,
                              WindowPusher pusher, Map<String, Long> sampleRates, Set<String> profiles,
                              long intervalNanos, long durationNanos) {
        this.agent = agent;
        this.cpu = cpu;
        this.files = files;
        this.history = history;
        this.pusher = pusher;
        this.sampleRates = sampleRates;
        this.profiles = profiles;
        this.intervalNanos = intervalNanos;
        this.durationNanos = durationNanos;
    }

    /** Starts the {@code diag-continuous} thread. */
    public void start() {
        agent.addCounter("continuous.windows_failed", FAILED_WINDOWS::get);
        thread = DiagThreads.start("continuous", this::run);
    }

    /**
     * Stops: the window under way is cut short and dropped (a window shorter than asked would mislead), and a file
     * being written is finished first, so that every window on disk has all its profiles.
     */
    public void stop() {
        stopped = true;
        Thread t = thread;
        if (t == null) return;
        try {
            t.join(STOP_WAIT_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        long next = System.nanoTime();
        while (!stopped) {
            try {
                if (recordWindow()) windowWritten();
            } catch (InterruptedException e) {
                return;
            } catch (Throwable e) {
                windowFailed(e);
            }
            next += intervalNanos;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                try {
                    TimeUnit.NANOSECONDS.sleep(wait);
                } catch (InterruptedException e) {
                    return;
                }
            } else {
                next = System.nanoTime(); // fell behind: start the next window now rather than bunching windows
            }
        }
    }

    private void windowFailed(Throwable e) {
        FAILED_WINDOWS.incrementAndGet();
        failedInARow++;
        if (failing) return;
        failing = true;
        Log.error("continuous profiling: cannot write a window " + where() + ": "
                + FileErrors.describe(e) + "; trying again every interval, counted in continuous.windows_failed");
    }

    private void windowWritten() {
        if (!failing) return;
        failing = false;
        Log.info("continuous profiling: windows are written " + where() + " again, after "
                + failedInARow + " failed");
        failedInARow = 0;
    }

    /** Deletes windows beyond out.keep/out.max; a failure is said once (the window itself is written) until it works. */
    private void prune() {
        try {
            history.prune(files.dir());
            pruneFailing = false;
        } catch (IOException | RuntimeException e) {
            if (pruneFailing) return;
            pruneFailing = true;
            Log.error("continuous profiling: cannot delete old windows in " + Log.abbreviate(files.dir()) + ": "
                    + FileErrors.describe(e) + "; out.keep/out.max are not enforced until it works");
        }
    }

    private String where() {
        return files == null ? "for push" : "to " + Log.abbreviate(files.dir());
    }

    /** Records and writes one window; returns false when stopped before the end (nothing written). */
    private boolean recordWindow() throws Exception {
        Instant start = Instant.now();
        long startNanos = System.nanoTime();
        Map<String, ProfileData> window = new ProfileWindow(agent, cpu).record(profiles, durationNanos, () -> stopped,
                false);
        if (stopped) return false;
        long endNanos = System.nanoTime();
        if (pusher != null) push(window, start, startNanos, endNanos);
        if (files != null) {
            String stamp = STAMP.format(start);
            for (Map.Entry<String, ProfileData> e : window.entrySet()) {
                files.write(e.getKey() + "-" + stamp + ".pb.gz", e.getValue());
            }
            prune();
        }
        return true;
    }

    /**
     * Queues the window's profiles for push=. Pyroscope takes whole Unix seconds (and OTLP gets the same bounds). When windows are meant back to back
     * (duration = interval), each starts at the last one's until, whatever the time spent encoding between them (up
     * to seconds on a loaded machine), so the series tiles time with neither gaps nor overlaps.
     */
    private void push(Map<String, ProfileData> window, Instant start, long startNanos, long endNanos) {
        long from = Math.round(start.toEpochMilli() / 1000.0);
        if (lastUntilSecond != Long.MIN_VALUE && durationNanos == intervalNanos) from = lastUntilSecond;
        long until = Math.max(from + 1, Math.round((start.toEpochMilli() + (endNanos - startNanos) / 1_000_000) / 1000.0));
        lastUntilSecond = until;
        for (Map.Entry<String, ProfileData> e : window.entrySet()) {
            pusher.offer(e.getKey(), from, until, e.getValue(), sampleRates.getOrDefault(e.getKey(), 0L));
        }
    }
}
