package dev.diag.sampler;

import dev.diag.base.DiagThreads;
import dev.diag.base.Log;
import dev.diag.jfr.ExitedThreadCounters;
import dev.diag.labels.LabelTimeline;
import dev.diag.pprof.EpochNanos;
import dev.diag.stack.Frame;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * CPU and allocation samples from async-profiler's native sampler: a CPU sample for every {@code cpu.hz} period of a
 * thread's CPU time (see {@link #tickTimer} and {@link #exactTimer}), and an allocation sample for about every
 * {@code alloc.rate} bytes, each with its exact object size. async-profiler walks stacks from a signal handler,
 * without safepoints, and costs nothing on the application's threads between samples.
 *
 * <p>How samples get here: the profiler records into a private JFR file, and every {@link #rotate} stops it, starts
 * a new file, and reads the finished one with {@link SampleFileReader} (diag's own: the JDK's
 * {@code jdk.jfr.consumer.RecordingFile} costs 5-25 us an event and keeps the JIT compilers busy for tens of
 * seconds; it reads only a file diag's reader does not understand). Listeners get the samples of one file in time
 * order, on the rotating thread. A rotation happens {@value #FIRST_ROTATION_SECONDS} s after the start, then when a
 * reader needs everything until now (the end of a {@code ?seconds=N} window, a heap snapshot, the exit), when the set
 * of events changes, and otherwise once a file reaches {@value #ROTATION_BYTES} bytes or {@value #ROTATION_SECONDS}
 * s, whichever comes first. No sample is taken between a stop and the next start (tens of milliseconds on a busy
 * machine, as the stop writes the file), but the threads' counters run on across it: each recording's CPU and bytes
 * start where the previous one's stopped, so the totals lose nothing.
 *
 * <p>The profiler runs only while some listener wants an event: with none it is stopped and costs nothing.
 */
public final class NativeSampler {
    /** What a listener receives. */
    public enum Kind { CPU, ALLOC, WALL }

    /**
     * One sample, with the thread's Java id (0 or less for a JVM thread such as a compiler or GC thread; set right
     * where async-profiler named another thread of the same OS thread, see {@link OsThreadOwners}) and OS id; an
     * allocation's object size and class, and its thread's correction ({@code allocWeight}: what the sample's scaled
     * bytes are multiplied by so that its thread's samples add up to the bytes the JVM counted it allocating, 1 when
     * unknown); a wall-clock sample's periods ({@code count}: an idle thread's unchanged periods come as one sample) and
     * thread state; a CPU sample's share of its thread's CPU time.
     */
    public record Sample(Kind kind, long javaThreadId, long osThreadId, long epochNanos, Frame[] stack,
                         long objectSize, String objectClass, long count, String state, long cpuNanos,
                         double allocWeight) {
        Sample withCpuNanos(long nanos) {
            return new Sample(kind, javaThreadId, osThreadId, epochNanos, stack, objectSize, objectClass, count, state,
                    nanos, allocWeight);
        }

        Sample withJavaThreadId(long id) {
            return new Sample(kind, id, osThreadId, epochNanos, stack, objectSize, objectClass, count, state, cpuNanos,
                    allocWeight);
        }

        Sample withAllocWeight(double weight) {
            return new Sample(kind, javaThreadId, osThreadId, epochNanos, stack, objectSize, objectClass, count, state,
                    cpuNanos, weight);
        }
    }

    /**
     * A finished recording's file, when it stopped, each thread's CPU time (by OS id) and allocated bytes (by Java id)
     * when it started and stopped (empty: unknown).
     */
    private record Recorded(Path file, long stopEpochNanos, long stopNanoTime, Map<Long, Long> cpuAtStart,
                            Map<Long, Long> cpuAtStop, Map<Long, Long> allocAtStart, Map<Long, Long> allocAtStop) {}

    /** Receives samples in time order, on the thread that rotates; must not block. */
    public interface Listener {
        void onSample(Sample sample);

        /** Called after the samples of one rotation were delivered. */
        default void onRotated() {}
    }

    /**
     * The longest a recording runs: every consumer that needs samples until now (a window's end, a snapshot, the
     * exit) rotates itself, so this bound is only for the file's size and the memory of reading it. A rotation's own
     * cost (the profiler stopped and started, thread counters read, each stack and method of the file resolved again,
     * diag's Java side run and compiled in a burst) is paid once per file, so fewer, larger files cost less.
     */
    static final long ROTATION_SECONDS = 60;
    /**
     * A file that reaches this size is read at the next check, sooner than {@link #ROTATION_SECONDS}: a busy JVM on
     * many cores writes a few megabytes a second at {@code cpu.hz=1000}, and a file is read into memory whole.
     */
    static final long ROTATION_BYTES = 2 << 20;
    static final long SIZE_CHECK_MILLIS = 1_000;
    /**
     * The first rotation comes sooner: the file reader is cold until it has read one file (class loading,
     * interpretation: with the JDK's parser, over 5 s of a cold JVM's exit at load 20), and a short run's first parse
     * would otherwise be the one at its exit, within {@code exit.timeout}.
     */
    static final long FIRST_ROTATION_SECONDS = 2;

    /**
     * The longest interval every Linux kernel's tick can time: a kernel ticks 100 to 1000 times a second
     * ({@code CONFIG_HZ}), and a thread's CPU timer fires only at a tick.
     */
    static final long TICK_SAFE_INTERVAL_NANOS = 10_000_000L;

    /**
     * The process CPU time the sampler samples at {@code cpu.hz} exactly before it rides the tick: about 5,000
     * samples at the default 1 kHz, what a share within a percentage point needs (BENCHMARKS.md, "The exact
     * head"). A short run's profile is then as fine as a window's, and a long one's gathers as many samples from its
     * length; the exact timer's price is paid once, about 0.2 s of CPU where a sample costs 40 us.
     */
    static final long EXACT_HEAD_CPU_NANOS = 5_000_000_000L;

    private final AsyncProfilerLibrary library;
    private final long cpuIntervalNanos;
    private final long allocIntervalBytes;
    private final long wallIntervalNanos;
    private final Map<Kind, List<Listener>> listeners = new EnumMap<>(Kind.class);
    private Path dir;
    private Path current;
    private Map<Long, Long> cpuAtStart = Map.of();
    private Map<Long, Long> allocAtStart = Map.of();
    private String running;
    private int fileSequence;
    /**
     * The CPU timer of recordings nobody watches, once the exact head is spent ({@link #EXACT_HEAD_CPU_NANOS}):
     * {@code ctimer}, one POSIX timer per thread on that thread's CPU clock, which is what Go's runtime samples by
     * on Linux. It rides the kernel's tick (at most {@code CONFIG_HZ}
     * samples a second, 250 on many kernels), which the machine pays for anyway: too cheap a sample to measure. Where
     * it cannot run, {@code itimer}: one timer for the process, its signal landing on whichever thread runs (diag
     * weighs each thread's samples by the CPU time the kernel counted for it, so only the split within a thread
     * depends on where the signals land).
     */
    private String tickTimer = "ctimer";
    /**
     * The CPU timer for exact rates above the tick: async-profiler's {@code cpu}, perf_events' {@code cpu-clock}
     * (a high-resolution timer per thread), where the kernel allows it; else the tick timer. A sample costs more
     * there: about 40 us on a virtual machine, whose exits a high-resolution timer pays (BENCHMARKS.md, "Which CPU
     * timer"), that is 4 % of a busy thread at 1 kHz.
     */
    private String exactTimer = "ctimer";
    /** Whether {@code cpu.hz} was asked for: then every recording samples at it exactly. */
    private final boolean exactRateAsked;
    /** Windows and traces someone waits for now: while there is one, CPU samples come at {@code cpu.hz} exactly. */
    private int watchers;
    /**
     * The process's CPU time when the first CPU recording started (-1 before, -2 when unknown), for
     * {@link #exactHeadCpuNanos}.
     */
    private long headStartCpuNanos = -1;
    private long exactHeadCpuNanos = EXACT_HEAD_CPU_NANOS;
    private boolean headSpent;
    /** The CPU timers recordings have used, in order of first use. */
    private final java.util.Set<String> cpuTimersUsed = new java.util.LinkedHashSet<>();
    private boolean closed;
    private String stoppedBecause;
    private volatile Thread rotator;
    private volatile boolean soon;
    private long samplesRead;
    private long rotations;
    private long javaIdsCorrected;
    private boolean fastReaderFailed;
    /** CPU time the rotating threads spent reading files and handing their samples out. */
    private long readCpuNanos;
    /**
     * The labels each thread had over time, for every kind of sample: one timeline, since its readers must see the
     * samples of all kinds in one time order, as {@link #deliver} hands them out.
     */
    private final LabelTimeline labels = new LabelTimeline();

    private NativeSampler(AsyncProfilerLibrary library, long cpuIntervalNanos, boolean exactRateAsked,
                          long allocIntervalBytes, long wallIntervalNanos) {
        this.library = library;
        this.exactRateAsked = exactRateAsked;
        this.cpuIntervalNanos = cpuIntervalNanos;
        this.allocIntervalBytes = allocIntervalBytes;
        this.wallIntervalNanos = wallIntervalNanos;
        for (Kind k : Kind.values()) listeners.put(k, new CopyOnWriteArrayList<>());
        labels.whenFilling(this::rotateSoon);
        OsThreadOwners.INSTANCE.whenFilling(this::rotateSoon);
    }

    /**
     * Returns the label timeline that gives each sample the labels its thread had at its time; a listener that wants
     * labels follows it while it listens.
     */
    public LabelTimeline labels() {
        return labels;
    }

    /**
     * Returns a sampler, or null (with the reason in {@link AsyncProfilerLibrary#failure()}) when it cannot run. With
     * {@code inst}, the sampler steps aside when the application loads async-profiler's own Java API
     * ({@link ApplicationProfilerWatch}).
     */
    public static NativeSampler open(java.lang.instrument.Instrumentation inst, long cpuIntervalNanos,
                                     boolean exactRateAsked, long allocIntervalBytes, long wallIntervalNanos) {
        AsyncProfilerLibrary library = AsyncProfilerLibrary.load(inst);
        if (library == null) return null;
        NativeSampler sampler = new NativeSampler(library, cpuIntervalNanos, exactRateAsked, allocIntervalBytes,
                wallIntervalNanos);
        sampler.chooseTimers();
        OsThreadOwners.INSTANCE.record();
        ExitedThreadCounters.INSTANCE.readUntil(System.nanoTime());
        if (inst != null) inst.addTransformer(new ApplicationProfilerWatch(sampler));
        return sampler;
    }

    /**
     * Stops for good because the application is about to use async-profiler itself: the process has one profiler
     * (the library is shared: the dynamic linker hands the application's load the copy diag loaded), and the
     * application's {@code start} would fail while diag's recording runs. What was recorded is delivered on another
     * thread; later windows are empty, and their comment says why.
     */
    void stepAside(String why) {
        Recorded finished;
        synchronized (this) {
            if (closed) return;
            closed = true;
            stoppedBecause = why;
            finished = stopRecording();
            if (rotator != null) rotator.interrupt();
        }
        Log.info(why + "; diag's cpu and allocs sampling stops, what it recorded is kept");
        DiagThreads.start("sampler-last", () -> {
            synchronized (this) {
                if (finished != null) deliver(finished);
                ExitedThreadCounters.INSTANCE.readerDone();
                deleteDirectory();
            }
        });
    }

    /** Returns why the sampler stopped before the JVM's exit, or null. */
    public synchronized String stoppedBecause() {
        return stoppedBecause;
    }

    /**
     * Chooses the CPU timers from what async-profiler lists as usable here ({@code ctimer} only where the kernel lets
     * a thread's CPU clock drive a timer, perf events only where {@code perf_event_paranoid} and seccomp allow them).
     * Not by trying: async-profiler's {@code cpu}, with neither perf events nor ctimer, samples wall-clock time, which
     * a CPU profile must not pass off as CPU.
     */
    private synchronized void chooseTimers() {
        String events = "";
        try {
            events = library.execute("list");
        } catch (Throwable e) {
            Log.debug("sampler: list failed: " + e);
        }
        tickTimer = events.contains("  ctimer\n") ? "ctimer" : "itimer";
        exactTimer = events.contains("Perf events:") ? "cpu" : tickTimer;
        Log.debug("sampler: cpu timers " + tickTimer + " (tick), " + exactTimer + " (exact)");
    }

    /**
     * Says a window or trace someone waits for starts ({@code true}) or ends: while one runs, CPU samples come at
     * {@code cpu.hz} exactly, even above the kernel's tick. A start switches the running recording at once, so the
     * window is sampled finely from its first moment; an end switches back soon, on the sampler's thread.
     */
    public void watch(boolean starts) {
        synchronized (this) {
            String before = cpuEvent();
            watchers = Math.max(0, watchers + (starts ? 1 : -1));
            if (closed || running == null || listeners.get(Kind.CPU).isEmpty() || before.equals(cpuEvent())) return;
            if (starts) {
                rotateLocked();
                return;
            }
        }
        rotateSoon();
    }

    /** The CPU timer the next recording samples by. */
    private String cpuEvent() {
        boolean exact = cpuIntervalNanos < TICK_SAFE_INTERVAL_NANOS && (exactRateAsked || watchers > 0 || !headSpent);
        return exact ? exactTimer : tickTimer;
    }

    /**
     * Returns whether the exact head ({@link #EXACT_HEAD_CPU_NANOS}) has just been spent and the running recording
     * must switch to the tick's timer.
     */
    private synchronized boolean headJustSpent() {
        if (headSpent || headStartCpuNanos == -1) return false;
        long now = processCpuNanos();
        // Where the kernel does not tell the process's CPU time, the head ends at its first look.
        if (now >= 0 && headStartCpuNanos >= 0 && now - headStartCpuNanos < exactHeadCpuNanos) return false;
        String before = cpuEvent();
        headSpent = true;
        return running != null && !before.equals(cpuEvent());
    }

    /** For tests: sets the exact head's CPU time, before the first CPU listener comes (0: none). */
    synchronized void exactHeadCpuNanos(long nanos) {
        exactHeadCpuNanos = nanos;
        headSpent = nanos <= 0;
    }

    /**
     * The process's CPU time as the kernel counts it, or -2 where it does not tell: by one system call where the JDK
     * has {@code jdk.management}, else from {@code ProcessHandle}'s process information (several reads of /proc).
     */
    private static long processCpuNanos() {
        try {
            if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
                long nanos = os.getProcessCpuTime();
                if (nanos >= 0) return nanos;
            }
        } catch (RuntimeException | LinkageError e) {
            // a runtime without jdk.management: ProcessHandle below
        }
        try {
            return ProcessHandle.current().info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(-2L);
        } catch (RuntimeException e) {
            return -2;
        }
    }

    /**
     * Returns the CPU timers recordings have used, by the names users know: {@code ctimer} (each thread's CPU
     * timer, at the kernel's tick), {@code perf_events}, {@code itimer}.
     */
    public synchronized String cpuTimersUsed() {
        return cpuTimersUsed.isEmpty() ? timerName(tickTimer) : String.join(" and ", cpuTimersUsed);
    }

    private static String timerName(String event) {
        return event.equals("cpu") ? "perf_events" : event;
    }

    /** The CPU time one CPU sample stands for. */
    public long cpuIntervalNanos() {
        return cpuIntervalNanos;
    }

    /** The wall-clock time between two samples of a thread. */
    public long wallIntervalNanos() {
        return wallIntervalNanos;
    }

    /** The mean bytes between two allocation samples. */
    public long allocIntervalBytes() {
        return allocIntervalBytes;
    }

    /**
     * Adds {@code listener} for {@code kind} and makes sure the profiler records it; returns false (after one
     * {@code diag:} line) when the profiler cannot start.
     */
    public synchronized boolean add(Kind kind, Listener listener) {
        if (closed) return false;
        listeners.get(kind).add(listener);
        if (rotateLocked()) return true;
        listeners.get(kind).remove(listener);
        return false;
    }

    /** Removes {@code listener}; the profiler stops recording {@code kind} when no listener of it is left. */
    public synchronized void remove(Kind kind, Listener listener) {
        if (!listeners.get(kind).remove(listener) || closed) return;
        rotateLocked();
    }

    /**
     * Hands every sample taken until now to the listeners: stops the recording, starts the next one, and reads the
     * finished file. Returns false when the profiler failed to start again (it is then off).
     */
    public synchronized boolean rotate() {
        return !closed && rotateLocked();
    }

    /** Stops the profiler for good and delivers what it holds; for the JVM's exit. */
    public synchronized void close() {
        if (closed) return;
        closed = true;
        Recorded finished = stopRecording();
        if (finished != null) deliver(finished);
        if (rotator != null) rotator.interrupt();
        ExitedThreadCounters.INSTANCE.readerDone();
        deleteDirectory();
    }

    /** Returns how many samples were read from the profiler's files. */
    public synchronized long samplesRead() {
        return samplesRead;
    }

    /** Returns how many files were read. */
    public synchronized long rotations() {
        return rotations;
    }

    /**
     * Returns the CPU time spent reading the profiler's files and handing their samples to the listeners (the JFR
     * parse, the profiles' tables): the Java side's cost, which grows with the sample rate.
     */
    public synchronized long readCpuNanos() {
        return readCpuNanos;
    }

    /** Returns how many samples async-profiler gave another Java thread's id (of the same OS thread), set right. */
    public synchronized long javaIdsCorrected() {
        return javaIdsCorrected;
    }

    private boolean rotateLocked() {
        Recorded finished = stopRecording();
        String options = options();
        boolean ok = true;
        if (options != null) ok = startRecording(options, finished);
        if (finished != null) deliver(finished);
        return ok;
    }

    /** The profiler's event options for what the listeners want, or null for none. */
    private String options() {
        StringBuilder s = new StringBuilder();
        if (!listeners.get(Kind.CPU).isEmpty()) {
            s.append(",event=").append(cpuEvent()).append(",interval=").append(cpuIntervalNanos);
        }
        if (!listeners.get(Kind.ALLOC).isEmpty()) s.append(",alloc=").append(allocIntervalBytes);
        if (!listeners.get(Kind.WALL).isEmpty()) s.append(",wall=").append(wallIntervalNanos);
        return s.length() == 0 ? null : s.toString();
    }

    /**
     * Starts recording with {@code options}. After a rotation ({@code previous} not null) the next recording's thread
     * counters start where the previous one's stopped: what threads ran and allocated while the profiler stopped and
     * started again (tens of milliseconds on a busy machine) is then weighed onto the next recording's samples rather
     * than lost from the totals. The rotating thread's own counts are read afresh, as the commands' own work is not
     * sampled.
     */
    private boolean startRecording(String options, Recorded previous) {
        try {
            if (dir == null) {
                dir = Files.createTempDirectory("diag-samples-",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            Path file = dir.resolve("samples-" + (++fileSequence) + ".jfr");
            String command = "start" + options + ",loglevel=none,jfr,file=" + file;
            library.execute(command);
            // After the start and (below) before the stop: the commands' own CPU on this thread is not sampled.
            cpuAtStart = listeners.get(Kind.CPU).isEmpty() ? Map.of()
                    : previous == null || previous.cpuAtStop().isEmpty() ? ThreadCpuTimes.read()
                    : ThreadCpuTimes.withCurrentThreadNow(previous.cpuAtStop());
            allocAtStart = listeners.get(Kind.ALLOC).isEmpty() ? Map.of()
                    : previous == null || previous.allocAtStop().isEmpty() ? ThreadAllocatedBytes.read()
                    : ThreadAllocatedBytes.withCurrentThreadNow(previous.allocAtStop());
            current = file;
            running = command;
            if (!listeners.get(Kind.CPU).isEmpty()) {
                cpuTimersUsed.add(timerName(cpuEvent()));
                if (headStartCpuNanos == -1) headStartCpuNanos = Math.max(-2, processCpuNanos());
            }
            if (rotator == null) rotator = DiagThreads.start("sampler", this::rotateEvery);
            Log.debug("sampler: " + command);
            return true;
        } catch (Throwable e) {
            String failed = listeners.get(Kind.CPU).isEmpty() ? "itimer" : cpuEvent();
            if (!failed.equals("itimer")) { // one more try, with a cruder timer
                if (failed.equals(exactTimer) && !exactTimer.equals(tickTimer)) exactTimer = tickTimer;
                else tickTimer = exactTimer = "itimer";
                Log.info("the native sampler cannot sample by " + timerName(failed) + " (" + e.getMessage()
                        + "); it samples by " + timerName(cpuEvent()));
                String next = options();
                return next != null && startRecording(next, previous);
            }
            Log.featureError("the native sampler cannot start (" + e.getMessage() + ")", e);
            return false;
        }
    }

    /** Stops the running recording and returns what it recorded, or null when none runs. */
    private Recorded stopRecording() {
        if (running == null) return null;
        Path file = current;
        running = null;
        current = null;
        Map<Long, Long> before = cpuAtStart;
        Map<Long, Long> after = before.isEmpty() ? Map.<Long, Long>of() : ThreadCpuTimes.read();
        cpuAtStart = Map.of();
        Map<Long, Long> allocBefore = allocAtStart;
        Map<Long, Long> allocAfter = allocBefore.isEmpty() ? Map.<Long, Long>of() : ThreadAllocatedBytes.read();
        allocAtStart = Map.of();
        long stopped = EpochNanos.now();
        long stoppedNanoTime = System.nanoTime();
        try {
            library.execute("stop");
        } catch (Throwable e) {
            Log.debug("sampler: stop failed: " + e);
        }
        return new Recorded(file, stopped, stoppedNanoTime, before, after, allocBefore, allocAfter);
    }

    private void deliver(Recorded recorded) {
        long cpuBefore = currentThreadCpuNanos();
        long cpuParsed = cpuBefore;
        Path file = recorded.file();
        List<Sample> samples;
        try {
            samples = readSamples(file);
        } finally {
            cpuParsed = currentThreadCpuNanos();
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // the directory goes at close
            }
        }
        samples.sort(Comparator.comparingLong(Sample::epochNanos));
        attributeToJavaThreads(samples);
        OsThreadOwners.INSTANCE.forgetBefore(recorded.stopEpochNanos());
        weighByThreadCpu(samples, recorded.cpuAtStart(), recorded.cpuAtStop());
        weighByThreadAllocations(samples, recorded.allocAtStart(), recorded.allocAtStop());
        ExitedThreadCounters.INSTANCE.readUntil(recorded.stopNanoTime());
        samplesRead += samples.size();
        rotations++;
        for (Sample s : samples) {
            for (Listener l : listeners.get(s.kind())) {
                try {
                    l.onSample(s);
                } catch (Throwable e) {
                    Log.debug("sampler: listener failed: " + e);
                }
            }
        }
        for (List<Listener> ls : listeners.values()) {
            for (Listener l : ls) l.onRotated();
        }
        long cpuAfter = currentThreadCpuNanos();
        if (cpuBefore >= 0 && cpuAfter >= cpuBefore) readCpuNanos += cpuAfter - cpuBefore;
        Log.debug("sampler: read " + samples.size() + " samples in " + (cpuAfter - cpuBefore) / 1_000_000
                + " ms of CPU, " + (cpuParsed - cpuBefore) / 1_000_000 + " of them for the file");
    }

    /**
     * Reads a finished file with diag's own reader, or, when that does not understand it, with the JDK's parser: said
     * once at debug level, as every file of this profiler will be the same.
     */
    private List<Sample> readSamples(Path file) {
        try {
            return SampleFileReader.read(file);
        } catch (IOException | RuntimeException e) {
            if (!fastReaderFailed) Log.debug("sampler: reading " + file + " with the JDK's parser: " + e);
            fastReaderFailed = true;
            return JdkSampleFileReader.read(file);
        }
    }

    /**
     * Gives each CPU sample its share of its thread's CPU time over the recording: the thread's CPU time (measured by
     * the kernel) over its sample count, so that a thread's samples add up to its CPU time even when the profiler
     * missed some (a busy machine delays and merges the timer's signals: 15-20 % fewer samples at load 6 on 2 cores).
     * The sampler still decides the split within a thread. A thread not measured at both ends (it ended during the
     * recording) keeps one interval per sample.
     */
    private void weighByThreadCpu(List<Sample> samples, Map<Long, Long> atStart, Map<Long, Long> atStop) {
        Map<Long, Integer> counts = new HashMap<>();
        Map<Long, Long> javaIds = new HashMap<>();
        for (Sample s : samples) {
            if (s.kind() != Kind.CPU) continue;
            counts.merge(s.osThreadId(), 1, Integer::sum);
            if (s.javaThreadId() > 0) javaIds.put(s.osThreadId(), s.javaThreadId());
        }
        Map<Long, Long> perSample = new HashMap<>();
        long knownCpu = 0;
        long knownSamples = 0;
        for (Map.Entry<Long, Integer> e : counts.entrySet()) {
            long spent = spentDuring(e.getKey(), javaIds.get(e.getKey()), atStart, atStop);
            if (spent <= 0) continue;
            perSample.put(e.getKey(), spent / e.getValue());
            knownCpu += spent;
            knownSamples += e.getValue();
        }
        // A thread whose CPU time is not known (a JVM thread that ended, a Java thread whose end was not kept): the
        // CPU time other threads' samples stood for in this recording, which with ctimer is a tick, not cpu.hz's period.
        long unknown = knownSamples > 0 ? knownCpu / knownSamples : cpuIntervalNanos;
        for (int i = 0; i < samples.size(); i++) {
            Sample s = samples.get(i);
            if (s.kind() == Kind.CPU) samples.set(i, s.withCpuNanos(perSample.getOrDefault(s.osThreadId(), unknown)));
        }
    }

    /**
     * The CPU time OS thread {@code osId} spent during the recording, or -1 when unknown: from its counter at the
     * stop, or, for a Java thread that ended before it, from the CPU time it had as it ended.
     */
    private static long spentDuring(long osId, Long javaId, Map<Long, Long> atStart, Map<Long, Long> atStop) {
        Long stop = atStop.get(osId);
        long end = stop != null ? stop : javaId == null ? -1 : ExitedThreadCounters.INSTANCE.cpuNanos(javaId);
        return end < 0 ? -1 : end - atStart.getOrDefault(osId, 0L);
    }

    /**
     * Gives each sample the Java thread that ran on its OS thread at its time, where async-profiler named another one
     * of the same OS thread ({@link OsThreadOwners}).
     */
    private void attributeToJavaThreads(List<Sample> samples) {
        for (int i = 0; i < samples.size(); i++) {
            Sample s = samples.get(i);
            long id = OsThreadOwners.INSTANCE.javaIdAt(s.osThreadId(), s.epochNanos(), s.javaThreadId());
            if (id != s.javaThreadId()) {
                samples.set(i, s.withJavaThreadId(id));
                javaIdsCorrected++;
            }
        }
    }

    /**
     * Gives each allocation sample the factor that makes its thread's samples, scaled as Go scales them
     * ({@link AllocationScale}), add up to the bytes the thread allocated over the recording, as the JVM counted them:
     * the total is then exact and the samples decide only how it splits between stacks, as for CPU. A thread not
     * measured at the stop keeps factor 1 (Go's unbiased estimate).
     */
    private void weighByThreadAllocations(List<Sample> samples, Map<Long, Long> atStart, Map<Long, Long> atStop) {
        if (atStart.isEmpty()) return;
        Map<Long, Double> sampled = new HashMap<>();
        for (Sample s : samples) {
            if (s.kind() == Kind.ALLOC && s.javaThreadId() > 0) {
                sampled.merge(s.javaThreadId(), AllocationScale.bytes(s.objectSize(), allocIntervalBytes), Double::sum);
            }
        }
        Map<Long, Double> factors = ThreadAllocatedBytes.factors(sampled, atStart, atStop);
        for (int i = 0; i < samples.size(); i++) {
            Sample s = samples.get(i);
            Double f = s.kind() == Kind.ALLOC ? factors.get(s.javaThreadId()) : null;
            if (f != null) samples.set(i, s.withAllocWeight(f));
        }
    }

    private static long currentThreadCpuNanos() {
        try {
            return ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
        } catch (RuntimeException | LinkageError e) {
            return -1;
        }
    }

    /**
     * Asks for a rotation soon, on the sampler's own thread, without waiting for it: for a caller on an application
     * thread (a label queue filling up). Never blocks.
     */
    public void rotateSoon() {
        soon = true;
        Thread t = rotator;
        if (t != null) java.util.concurrent.locks.LockSupport.unpark(t);
    }

    private void rotateEvery() {
        long wait = FIRST_ROTATION_SECONDS;
        while (true) {
            long deadline = System.nanoTime() + wait * 1_000_000_000L;
            wait = ROTATION_SECONDS;
            while (!soon && deadline - System.nanoTime() > 0 && !fileFull() && !headJustSpent()) {
                long check = Math.min(deadline - System.nanoTime(), SIZE_CHECK_MILLIS * 1_000_000L);
                java.util.concurrent.locks.LockSupport.parkNanos(this, check);
                if (Thread.interrupted()) return;
            }
            soon = false;
            synchronized (this) {
                if (closed) return;
                if (running != null) rotateLocked();
            }
        }
    }

    /** Returns whether the running recording's file has reached {@link #ROTATION_BYTES}. */
    private synchronized boolean fileFull() {
        if (current == null) return false;
        try {
            return Files.size(current) >= ROTATION_BYTES;
        } catch (IOException | RuntimeException e) {
            return false; // not written yet
        }
    }

    private void deleteDirectory() {
        if (dir == null) return;
        try (var files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) Files.deleteIfExists(p);
            Files.deleteIfExists(dir);
        } catch (IOException ignored) {
            // a temp directory left behind is harmless
        }
    }
}
