package dev.diag.threads;

import dev.diag.hook.LabelHook;
import dev.diag.labels.ThreadLabels;
import dev.diag.pprof.GoProfiles;
import dev.diag.pprof.Label;
import dev.diag.pprof.Profile;
import dev.diag.pprof.ProfileData;
import dev.diag.pprof.Sample;
import dev.diag.stack.Frame;
import dev.diag.stack.StackCapture;
import dev.diag.stack.StackKey;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Go's goroutine profile for a JVM: every live thread, counted by identical stack. A Java thread is a goroutine;
 * diag's own threads are included (Go includes its profiler goroutine) and are all named {@code diag-*}. On JDK 21+
 * the virtual threads the JVM tracks are included too ({@link ThreadList}); {@link #count()} counts platform threads
 * only, because listing virtual threads costs a thread dump.
 */
public final class GoroutineProfile implements Profile {
    /**
     * The one frame of a thread with no Java frames (the JVM's Signal Dispatcher, Attach Listener...): Go's text format
     * and tools expect every goroutine to have a stack.
     */
    static final Frame NO_JAVA_FRAMES = new Frame("jvm", "noJavaFrames", null, null, 0);

    /** Stack depth kept per goroutine in the profile, as for every other profile. */
    private static final int MAX_DEPTH = StackCapture.MAX_DEPTH;

    @Override
    public String name() {
        return GoProfiles.GOROUTINE;
    }

    @Override
    public int count() {
        return java.lang.management.ManagementFactory.getThreadMXBean().getThreadCount();
    }

    @Override
    public ProfileData snapshot() {
        long now = System.currentTimeMillis() * 1_000_000L;
        Map<StackAndLabels, long[]> counts = new HashMap<>();
        for (Goroutine g : ThreadList.all()) {
            StackTraceElement[] st = g.stack();
            if (st.length > MAX_DEPTH) st = java.util.Arrays.copyOf(st, MAX_DEPTH);
            Frame[] stack = st.length == 0 ? new Frame[] {NO_JAVA_FRAMES} : StackCapture.fromStackTrace(st);
            List<Label> labels = ThreadLabels.toPprof(LabelHook.of(g.id()));
            counts.computeIfAbsent(new StackAndLabels(new StackKey(stack), labels), k -> new long[1])[0]++;
        }
        List<Sample> samples = new ArrayList<>(counts.size());
        counts.forEach((k, v) -> samples.add(new Sample(k.stack().frames(), v, k.labels())));
        return new ProfileData(GoProfiles.GOROUTINE_TYPES, null, GoProfiles.countPeriodType(GoProfiles.GOROUTINE), 1,
                now, 0, samples, List.of());
    }

    /** Go counts goroutines by stack and labels together. */
    private record StackAndLabels(StackKey stack, List<Label> labels) {}
}
