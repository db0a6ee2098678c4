package dev.diag.cpu;

import dev.diag.base.Log;
import dev.diag.jfr.EventRequest;
import dev.diag.jfr.ExitedThreadCounters;
import dev.diag.jfr.JfrSession;
import dev.diag.jfr.JfrStacks;
import dev.diag.jfr.LiveThreadStacks;
import dev.diag.jfr.ThreadCounterAttribution;
import dev.diag.labels.ThreadLabels;
import dev.diag.pprof.EpochNanos;
import dev.diag.pprof.Label;
import dev.diag.stack.Frame;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedThread;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.List;

/**
 * CPU samples from JFR, where the native sampler cannot run: {@code jdk.CPUTimeSample} (JEP 509: a sample per slice
 * of a thread's CPU time) where the JVM has it on Linux, else {@code jdk.ExecutionSample}, at {@code cpu.hz}.
 * Either way the nanoseconds come from {@link ThreadCounterAttribution} with {@code ThreadMXBean.getThreadCpuTime},
 * so a descheduled thread is not charged and a busy one is not undercounted.
 *
 * <p>JFR hands samples over about a second after they were taken: {@link #catchUp} waits for that.
 */
final class JfrCpuSamples implements CpuSampleSource {
    static final String CPU_TIME_SAMPLE = "jdk.CPUTimeSample";
    static final String EXECUTION_SAMPLE = "jdk.ExecutionSample";
    /** CPU time a thread JFR never sampled may use in one interval (1 % of a core) before its stack is looked at. */
    static final long UNSAMPLED_CPU_SNAPSHOT_NANOS = 10_000_000L;
    private static final Duration CATCH_UP_TIMEOUT = Duration.ofSeconds(5);

    private final JfrSession session;
    private final long jfrPeriodNanos;
    private final ThreadCounterAttribution attribution;
    private volatile ThreadLabels labels;
    private String source;
    private EventRequest request;
    private boolean started;
    private boolean failed;
    private boolean sampling;
    private JfrSession.Subscription samples;

    JfrCpuSamples(JfrSession session, long periodNanos, Sink sink) {
        this.session = session;
        this.jfrPeriodNanos = Math.max(1_000_000L, periodNanos / 1_000_000L * 1_000_000L); // JFR takes whole ms
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        this.attribution = new ThreadCounterAttribution(id -> cpuTime(threads, id), (stack, at, cpu, n, detail) ->
                sink.add(stack, at, cpu, n, labelsOf(detail)), LiveThreadStacks.INSTANCE, UNSAMPLED_CPU_SNAPSHOT_NANOS,
                this::labelsNow);
    }

    void showLabels(ThreadLabels threadLabels) {
        this.labels = threadLabels;
    }

    /**
     * Prepares to sample (once): starts JFR and chooses the event; returns false, after one {@code diag:} line, when
     * JFR cannot run. JFR samples only while a window records ({@link #startSampling}): its sampler
     * visits every thread each period, which costs a JVM with thousands of parked threads about a tenth of a core.
     */
    synchronized boolean start() {
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

    /** The first window takes every thread's CPU time as its baseline. */
    @Override
    public synchronized boolean startSampling() {
        if (!start()) return false;
        attribution.baseline(ManagementFactory.getThreadMXBean().getAllThreadIds());
        samples = session.open(request, this::onSample);
        if (samples == null) return false;
        sampling = true;
        Log.debug("cpu: sampling " + source + " every " + jfrPeriodNanos / 1_000_000L + " ms");
        return true;
    }

    @Override
    public synchronized void stopSampling() {
        if (samples != null) samples.close();
        samples = null;
        sampling = false;
        Log.debug("cpu: sampling stopped");
    }

    @Override
    public boolean catchUp() throws InterruptedException {
        if (!session.awaitCatchUp(CATCH_UP_TIMEOUT)) return false;
        attribution.attributeAll(); // every sample until now is in
        return true;
    }

    /** The agent has waited for JFR to catch up; what is still missing is the tail. */
    @Override
    public void finish() {
        attribution.attributeTail();
    }

    @Override
    public String description() {
        return source == null ? null : "diag: " + source + " weighted by thread CPU time";
    }

    /** Attributes CPU time on each JFR flush, but only while sampling: listing every thread costs otherwise. */
    private void flushWhileSampling() {
        synchronized (this) {
            if (!sampling) return;
        }
        attribution.flush();
    }

    private void onSample(RecordedEvent e) {
        Frame[] stack = JfrStacks.frames(e.getStackTrace());
        if (stack.length == 0) return; // JFR could not walk the stack; the thread's CPU goes to its other samples
        RecordedThread t = e.getThread(source.equals(CPU_TIME_SAMPLE) ? "eventThread" : "sampledThread");
        long threadId = t == null ? -1 : t.getJavaThreadId();
        long fallback = source.equals(CPU_TIME_SAMPLE)
                ? e.getDuration("samplingPeriod").toNanos() : jfrPeriodNanos;
        attribution.sample(threadId, stack, EpochNanos.of(e.getStartTime()), fallback,
                labelsNow(threadId));
    }

    private List<Label> labelsNow(long threadId) {
        ThreadLabels l = labels;
        return l == null ? List.of() : l.of(threadId);
    }

    @SuppressWarnings("unchecked")
    private static List<Label> labelsOf(Object detail) {
        return detail instanceof List ? (List<Label>) detail : List.of();
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
}
