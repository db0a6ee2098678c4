package dev.diag.cpu;

import dev.diag.pprof.EpochNanos;
import dev.diag.pprof.GoProfiles;
import dev.diag.pprof.Label;
import dev.diag.pprof.ProfileData;
import dev.diag.pprof.StackValueTable;
import dev.diag.pprof.WindowedProfiler;
import dev.diag.stack.Frame;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * A profile recorded in windows from a stream of timed samples: Go's CPU profile (as {@code pprof.StartCPUProfile},
 * {@code [samples/count, cpu/nanoseconds]}, period {@code 1e9 / cpu.hz}), and the wall-clock profile
 * ({@code [samples/count, wall/nanoseconds]}). Samples come from a {@link CpuSampleSource} (async-profiler's native
 * sampler, else JFR for cpu) and are summed by stack and labels.
 *
 * <p>Windows are cut by sample timestamps; at a window's end the source hands over everything until then. One
 * exclusive window at a time ({@link #record}); {@link #recordAlongside} windows and the {@code out=} recording never
 * make it busy. The source samples only while some window records.
 */
public final class SampledProfiler implements WindowedProfiler {
    private static final long POLL_NANOS = 50_000_000L;

    private final List<dev.diag.pprof.ValueType> sampleTypes;
    private final dev.diag.pprof.ValueType periodType;
    private final long periodNanos;
    private final String busyMessage;
    private final AtomicBoolean busy = new AtomicBoolean();
    private final List<Window> windows = new CopyOnWriteArrayList<>();
    /** Samples every window's table counted under its overflow entry (see {@link StackValueTable}). */
    private final AtomicLong dropped = new AtomicLong();
    private CpuSampleSource source;
    /** Windows that need samples now; the source samples only while there is one. */
    private int sampling;

    private SampledProfiler(List<dev.diag.pprof.ValueType> sampleTypes, dev.diag.pprof.ValueType periodType,
                            long periodNanos, String busyMessage) {
        this.sampleTypes = sampleTypes;
        this.periodType = periodType;
        this.periodNanos = periodNanos;
        this.busyMessage = busyMessage;
    }

    /**
     * Go's CPU profile, whose period states the CPU time between two samples: {@code periodNanos} (Go's is
     * {@code 1e9/hz}), so that samples times period is the CPU time they stand for, as tools that count samples assume.
     */
    static SampledProfiler cpu(long periodNanos) {
        return new SampledProfiler(GoProfiles.CPU_TYPES, GoProfiles.CPU_PERIOD_TYPE, periodNanos,
                "cpu profiling already in use");
    }

    /** The wall-clock profile: on-CPU and off-CPU time of every thread, one sample per {@code intervalNanos}. */
    static SampledProfiler wall(long intervalNanos) {
        return new SampledProfiler(WALL_TYPES, WALL_PERIOD_TYPE, intervalNanos, "wall profiling already in use");
    }

    static final List<dev.diag.pprof.ValueType> WALL_TYPES = List.of(new dev.diag.pprof.ValueType("samples", "count"),
            new dev.diag.pprof.ValueType("wall", "nanoseconds"));
    static final dev.diag.pprof.ValueType WALL_PERIOD_TYPE = new dev.diag.pprof.ValueType("wall", "nanoseconds");

    long periodNanos() {
        return periodNanos;
    }

    /** Sets where samples come from; call once, before any window. */
    void use(CpuSampleSource source) {
        this.source = source;
    }

    /** What sources deliver samples to. */
    CpuSampleSource.Sink sink() {
        return this::add;
    }

    /** Starts sampling for one more window. */
    private synchronized boolean startSampling() {
        if (sampling == 0 && !source.startSampling()) return false;
        sampling++;
        return true;
    }

    /** Ends one window's need for samples; the last one stops the source's sampling. */
    private synchronized void stopSampling() {
        if (sampling == 0 || --sampling > 0) return;
        source.stopSampling();
    }

    /** Starts a window that runs until the JVM exits, for {@code out=}; returns its profile source. */
    public java.util.function.Supplier<ProfileData> recordUntilExit() {
        startSampling();
        Window w = new Window(EpochNanos.now(), dropped);
        windows.add(w);
        return () -> {
            long end = EpochNanos.now();
            source.finish();
            return profile(w, end);
        };
    }

    @Override
    public ProfileData record(long durationNanos, BooleanSupplier cancelled, Runnable admitted)
            throws InterruptedException, ProfilerBusyException {
        if (!busy.compareAndSet(false, true)) throw new ProfilerBusyException(busyMessage);
        try {
            admitted.run();
            return recordAlongside(durationNanos, cancelled, true);
        } finally {
            busy.set(false);
        }
    }

    @Override
    public ProfileData recordAlongside(long durationNanos, BooleanSupplier cancelled, boolean watched)
            throws InterruptedException {
        if (durationNanos <= 0) return empty();
        if (watched) source.watch(true);
        try {
            return recordSampled(durationNanos, cancelled);
        } finally {
            if (watched) source.watch(false);
        }
    }

    private ProfileData recordSampled(long durationNanos, BooleanSupplier cancelled) throws InterruptedException {
        if (!startSampling()) return empty();
        Window w = new Window(EpochNanos.now(), dropped); // after sampling started: the window is all sampled
        windows.add(w);
        try {
            long end = System.nanoTime() + durationNanos;
            for (long left = durationNanos; left > 0 && !cancelled.getAsBoolean(); left = end - System.nanoTime()) {
                TimeUnit.NANOSECONDS.sleep(Math.min(left, POLL_NANOS));
            }
            w.end = EpochNanos.now();
            source.catchUp();
        } finally {
            windows.remove(w);
            stopSampling();
        }
        return profile(w, w.end);
    }

    /** A window of no time: for a duration of 0 or less (as Go's), or when sampling cannot start. */
    private ProfileData empty() {
        Window none = new Window(EpochNanos.now(), dropped);
        return profile(none, none.start);
    }

    private void add(Frame[] stack, long epochNanos, long cpuNanos, int samples, List<Label> labels) {
        for (Window w : windows) {
            if (epochNanos >= w.start && epochNanos <= w.end) w.table.add(stack, labels, samples, cpuNanos);
        }
    }

    private ProfileData profile(Window w, long endEpochNanos) {
        String description = source == null ? null : source.description();
        return new ProfileData(sampleTypes, null, periodType, periodNanos, w.start,
                Math.max(0, endEpochNanos - w.start), w.table.samples(),
                description == null ? List.of() : List.of(description));
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
