package dev.diag.continuous;

import dev.diag.base.DiagThreads;
import dev.diag.cpu.CpuFeature;
import dev.diag.feature.FeatureContext;
import dev.diag.pprof.GoProfiles;
import dev.diag.pprof.Profile;
import dev.diag.pprof.ProfileData;
import dev.diag.pprof.ProfileDelta;
import dev.diag.pprof.WindowedProfiler;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Records one window of profiles, the way continuous profiling and {@code java -jar diag.jar profile} both need it:
 * cpu and wall are sampled during the window; allocs, block, mutex and threadcreate are the difference of two
 * snapshots taken at its start and end (Go's delta profiles, as {@code /debug/pprof/block?seconds=N}); heap and
 * goroutine are taken at its end. A window never makes {@code /debug/pprof/profile} busy.
 */
public final class ProfileWindow {
    /** Profiles whose window is a difference of snapshots, as Go's profileSupportsDelta minus the point-in-time ones. */
    private static final Set<String> CUMULATIVE = Set.of(GoProfiles.ALLOCS, GoProfiles.BLOCK, GoProfiles.MUTEX,
            GoProfiles.THREADCREATE);
    private static final long POLL_NANOS = 100_000_000L;

    private final FeatureContext agent;
    private final CpuFeature cpu;

    public ProfileWindow(FeatureContext agent, CpuFeature cpu) {
        this.agent = agent;
        this.cpu = cpu;
    }

    /**
     * Records {@code profiles} for {@code durationNanos}, or until {@code stopped} turns true (the window is then cut
     * short: the caller decides whether a short window is worth keeping). Returns each profile that could be
     * recorded, by name, in the order asked; a profile whose profiler is not running is left out.
     */
    public Map<String, ProfileData> record(Set<String> profiles, long durationNanos, BooleanSupplier stopped,
                                           boolean watched) throws Exception {
        Map<String, ProfileData> before = new LinkedHashMap<>();
        for (String name : profiles) {
            Profile p = CUMULATIVE.contains(name) ? agent.registry().lookup(name) : null;
            if (p != null) before.put(name, p.snapshot());
        }
        ProfileData cpuWindow = null;
        WindowedProfiler cpuProfiler = profiles.contains(GoProfiles.CPU) ? cpu.cpuProfiler() : null;
        WindowedProfiler wallProfiler = profiles.contains(CpuFeature.WALL) ? cpu.wallProfiler() : null;
        // The wall window runs beside the cpu one, on its own thread: both cover the same seconds.
        FutureTask<ProfileData> wall = wallProfiler == null ? null
                : new FutureTask<>(() -> wallProfiler.recordAlongside(durationNanos, stopped, watched));
        if (wall != null) DiagThreads.start("window-wall", wall);
        if (cpuProfiler != null) {
            cpuWindow = cpuProfiler.recordAlongside(durationNanos, stopped, watched);
        } else if (wall == null) {
            sleepUnlessStopped(durationNanos, stopped);
        }
        ProfileData wallWindow = wall == null ? null : wall.get();
        Map<String, ProfileData> window = new LinkedHashMap<>();
        for (String name : profiles) {
            if (name.equals(GoProfiles.CPU)) {
                if (cpuWindow != null) window.put(name, cpuWindow);
            } else if (name.equals(CpuFeature.WALL)) {
                if (wallWindow != null) window.put(name, wallWindow);
            } else {
                Profile p = agent.registry().lookup(name);
                if (p == null) continue;
                ProfileData now = p.snapshot();
                window.put(name, before.containsKey(name) ? ProfileDelta.between(before.get(name), now) : now);
            }
        }
        return window;
    }

    private static void sleepUnlessStopped(long nanos, BooleanSupplier stopped) throws InterruptedException {
        long end = System.nanoTime() + nanos;
        while (!stopped.getAsBoolean()) {
            long left = end - System.nanoTime();
            if (left <= 0) return;
            TimeUnit.NANOSECONDS.sleep(Math.min(left, POLL_NANOS));
        }
    }
}
