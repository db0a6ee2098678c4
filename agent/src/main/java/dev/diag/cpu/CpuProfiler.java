package dev.diag.cpu;

import dev.diag.agent.Log;
import dev.diag.jfr.EventRequest;
import dev.diag.jfr.ExitedThreadCounters;
import dev.diag.jfr.JfrSession;
import dev.diag.jfr.JfrStacks;
import dev.diag.jfr.ThreadCounterAttribution;
import dev.diag.labels.ThreadLabels;
import dev.diag.pprof.GoProfiles;
import dev.diag.pprof.Label;
import dev.diag.pprof.ProfileData;
import dev.diag.pprof.StackValueTable;
import dev.diag.pprof.WindowedProfiler;
import dev.diag.stack.Frame;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedThread;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * Go's CPU profile for a JVM, as {@code pprof.StartCPUProfile}: JFR CPU samples, each weighted by its thread's
 * measured CPU time, summed by stack into {@code [samples/count, cpu/nanoseconds]}.
 *
 * <p>Source: {@code jdk.CPUTimeSample} (JEP 509: a sample per slice of a thread's CPU time) where the JVM has it on
 * Linux, else {@code jdk.ExecutionSample}, sampled four times as often as {@code cpu.hz} (JFR takes at most a few threads
 * per period, so more samples per thread keep shares accurate). Either way the nanoseconds come from
 * {@link ThreadCounterAttribution} with {@code ThreadMXBean.getThreadCpuTime}, so a descheduled thread is not
 * charged and a busy one is not undercounted. {@code samples/count} counts JFR samples; the profile's period is
 * Go's, {@code 1e9 / cpu.hz}.
 *
 * <p>Windows are cut by event timestamps. At a window's end the profiler waits for JFR to catch up (about a second)
 * so that the window's last events are in: {@code /profile?seconds=1} takes about two seconds. One exclusive window
 * at a time ({@link #record}); {@link #recordAlongside} windows and the {@code out=} recording never make it busy.
 */
public final class CpuProfiler implements WindowedProfiler {
    static final String CPU_TIME_SAMPLE = "jdk.CPUTimeSample";
    /** CPU time a thread JFR never sampled may use in one interval (1 % of a core) before its stack is looked at. */
    static final long UNSAMPLED_CPU_SNAPSHOT_NANOS = 10_000_000L;
    static final String EXECUTION_SAMPLE = "jdk.ExecutionSample";
    private static final Duration CATCH_UP_TIMEOUT = Duration.ofSeconds(5);
    private static final long POLL_NANOS = 50_000_000L;
    /**
     * JFR samples this many times per Go period (whole milliseconds, at least 1 ms: 2 ms at 100 Hz): a thread that
     * shares a busy CPU is caught in few periods, and shares from few samples are noisy.
     */
    private static final long OVERSAMPLING = 4;

    private final JfrSession session;
    private final long goPeriodNanos;
    private final long jfrPeriodNanos;
    private final AtomicBoolean busy = new AtomicBoolean();
    private final List<Window> windows = new CopyOnWriteArrayList<>();
    private final ThreadCounterAttribution attribution;
    /** Samples every window's table counted under its overflow entry (see {@link StackValueTable}). */
    private final AtomicLong dropped = new AtomicLong();
    private volatile ThreadLabels labels;
    private String source;
    private EventRequest request;
    private boolean started;
    private boolean failed;
    /** Windows that need samples now; JFR samples only while there is one (see {@link #startSampling}). */
    private int sampling;
    private JfrSession.Subscription samples;

    /** @param hz samples per second Go's profile states (its period is 1e9/hz ns) */
    public CpuProfiler(JfrSession session, long hz) {
        this.session = session;
        this.goPeriodNanos = 1_000_000_000L / hz;
        this.jfrPeriodNanos = Math.max(1_000_000L, goPeriodNanos / OVERSAMPLING / 1_000_000L * 1_000_000L);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        this.attribution = new ThreadCounterAttribution(id -> cpuTime(threads, id), this::onAttributed,
                dev.diag.jfr.LiveThreadStacks.INSTANCE, UNSAMPLED_CPU_SNAPSHOT_NANOS, this::labelsNow);
    }

    /**
     * Prepares to sample (once): starts JFR and chooses the source; returns false when JFR cannot run. JFR samples
     * only while a window records ({@link #startSampling}): its sampler visits every thread each period, which
     * costs a JVM with thousands of parked threads about a tenth of a core, for nothing when nobody profiles.
     */
    public synchronized boolean start() {
        if (started || failed) return started;
        boolean linux = System.getProperty("os.name", "").startsWith("Linux");
        if (!session.start()) {
            failed = true;
            return false;
        }
        boolean cpuTime = linux && session.hasEventType(CPU_TIME_SAMPLE);
        source = cpuTime ? CPU_TIME_SAMPLE : EXECUTION_SAMPLE;
        EventRequest r = EventRequest.of(source).withStackTrace();
        request = cpuTime ? r.with("throttle", jfrPeriodNanos / 1_000_000L + "ms")
                : r.period(Duration.ofNanos(jfrPeriodNanos));
        started = session.onFlush(this::flushWhileSampling);
        failed = !started;
        return started;
    }

    /** Starts JFR's samples for one more window; the first takes every thread's CPU time as its baseline. */
    private synchronized boolean startSampling() {
        if (!start()) return false;
        if (sampling == 0) {
            attribution.baseline(ManagementFactory.getThreadMXBean().getAllThreadIds());
            samples = session.open(request, this::onSample);
            if (samples == null) return false;
            Log.debug("cpu: sampling " + source + " every " + jfrPeriodNanos / 1_000_000L + " ms");
        }
        sampling++;
        return true;
    }

    /** Ends one window's need for samples; the last one stops JFR's sampling. */
    private synchronized void stopSampling() {
        if (sampling == 0 || --sampling > 0) return;
        samples.close();
        samples = null;
        Log.debug("cpu: sampling stopped");
    }

    /** Attributes CPU time on each JFR flush, but only while sampling: listing every thread costs otherwise. */
    private void flushWhileSampling() {
        synchronized (this) {
            if (sampling == 0) return;
        }
        attribution.flush();
    }

    /** Starts a window that runs until the JVM exits, for {@code out=}; returns its profile source. */
    public java.util.function.Supplier<ProfileData> recordUntilExit() {
        startSampling();
        Window w = new Window(nowEpochNanos(), dropped);
        windows.add(w);
        return () -> {
            long end = nowEpochNanos();
            attribution.attributeTail(); // the agent has waited for JFR to catch up; what is still missing is the tail
            return profile(w, end);
        };
    }

    @Override
    public ProfileData record(long durationNanos, BooleanSupplier cancelled)
            throws InterruptedException, ProfilerBusyException {
        if (!busy.compareAndSet(false, true)) throw new ProfilerBusyException("cpu profiling already in use");
        try {
            return recordAlongside(durationNanos, cancelled);
        } finally {
            busy.set(false);
        }
    }

    @Override
    public ProfileData recordAlongside(long durationNanos, BooleanSupplier cancelled) throws InterruptedException {
        if (durationNanos <= 0 || !startSampling()) {
            Window none = new Window(nowEpochNanos(), dropped);
            return profile(none, none.start);
        }
        Window w = new Window(nowEpochNanos(), dropped); // after JFR's sampling started: the window is all sampled
        windows.add(w);
        try {
            long end = System.nanoTime() + durationNanos;
            for (long left = durationNanos; left > 0 && !cancelled.getAsBoolean(); left = end - System.nanoTime()) {
                TimeUnit.NANOSECONDS.sleep(Math.min(left, POLL_NANOS));
            }
            w.end = nowEpochNanos();
            if (session.awaitCatchUp(CATCH_UP_TIMEOUT)) attribution.attributeAll(); // every sample until now is in
        } finally {
            windows.remove(w);
            stopSampling();
        }
        return profile(w, w.end);
    }

    private void onSample(RecordedEvent e) {
        Frame[] stack = JfrStacks.frames(e.getStackTrace());
        if (stack.length == 0) return; // JFR could not walk the stack; the thread's CPU goes to its other samples
        RecordedThread t = e.getThread(source.equals(CPU_TIME_SAMPLE) ? "eventThread" : "sampledThread");
        long threadId = t == null ? -1 : t.getJavaThreadId();
        long fallback = source.equals(CPU_TIME_SAMPLE)
                ? e.getDuration("samplingPeriod").toNanos() : jfrPeriodNanos;
        attribution.sample(threadId, stack, epochNanos(e.getStartTime()), fallback, labelsNow(threadId));
    }

    private List<Label> labelsNow(long threadId) {
        ThreadLabels l = labels;
        return l == null ? List.of() : l.of(threadId);
    }

    /** Gives samples the labels their thread had when each was taken ({@code dev.diag.api.Labels}). */
    public void showLabels(ThreadLabels threadLabels) {
        this.labels = threadLabels;
    }

    @SuppressWarnings("unchecked")
    private void onAttributed(Frame[] stack, long epochNanos, long cpuNanos, int samples, Object detail) {
        List<Label> sampleLabels = detail instanceof List ? (List<Label>) detail : List.of();
        for (Window w : windows) {
            if (epochNanos >= w.start && epochNanos <= w.end) w.table.add(stack, sampleLabels, samples, cpuNanos);
        }
    }

    private ProfileData profile(Window w, long endEpochNanos) {
        return new ProfileData(GoProfiles.CPU_TYPES, null, GoProfiles.CPU_PERIOD_TYPE, goPeriodNanos, w.start,
                Math.max(0, endEpochNanos - w.start), w.table.samples(),
                source == null ? List.of() : List.of("diag: " + source + " weighted by thread CPU time"));
    }

    private static long cpuTime(ThreadMXBean threads, long threadId) {
        if (threadId <= 0) return -1;
        try {
            long cpu = threads.getThreadCpuTime(threadId);
            return cpu >= 0 ? cpu : ExitedThreadCounters.INSTANCE.cpuNanos(threadId); // -1 for an ended thread
        } catch (RuntimeException e) {
            return -1; // CPU time not supported or disabled: samples keep their own weight
        }
    }

    static long nowEpochNanos() {
        return epochNanos(Instant.now());
    }

    static long epochNanos(Instant t) {
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }

    /** Returns how many samples found their window's table full and were counted under its overflow entry. */
    public long samplesDropped() {
        return dropped.get();
    }

    /** Samples whose timestamps fall in [start, end] go into this window's table. */
    private static final class Window {
        final long start;
        volatile long end = Long.MAX_VALUE;
        final StackValueTable table;

        Window(long start, AtomicLong dropped) {
            this.start = start;
            this.table = new StackValueTable(2, StackValueTable.MAX_ENTRIES, dropped);
        }
    }
}
