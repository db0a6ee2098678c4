package dev.diag.cpu;

import dev.diag.base.Log;
import dev.diag.base.OptionKey;
import dev.diag.feature.Feature;
import dev.diag.feature.FeatureContext;
import dev.diag.hook.LabelHook;
import dev.diag.labels.LabelTimeline;
import dev.diag.labels.ThreadLabels;
import dev.diag.pprof.GoProfiles;
import dev.diag.pprof.WindowedProfiler;
import dev.diag.sampler.NativeSampler;

import java.util.function.LongSupplier;

/**
 * Starts the CPU profiler (and, with the native engine, the wall-clock profiler) when something will read it:
 * {@code out=} with {@code cpu} (or {@code wall}) in {@code profiles} (a recording from start to exit, and continuous
 * windows) or {@code http=} ({@code /debug/pprof/profile}, {@code /debug/pprof/wall}), or, later, the first window
 * {@code java -jar diag.jar profile} asks for ({@link #startForWindows}). Samples come from
 * async-profiler's native sampler, else from JFR (cpu only). Names no {@code jdk.jfr} type, so it can run (and do
 * nothing) where the runtime has no JFR.
 */
public final class CpuFeature implements Feature {
    /** The wall-clock profile's name in {@code profiles=} and under {@code /debug/pprof/}. */
    public static final String WALL = "wall";

    private volatile WindowedProfiler cpuProfiler;
    private volatile WindowedProfiler wallProfiler;
    /** Set by {@link #start}; null until then. */
    private FeatureContext agent;
    /** Whether the profilers have been started (or their start tried): once per JVM. */
    private boolean started;

    @Override
    public String name() {
        return "cpu profile";
    }

    /** Returns the CPU profiler for {@code /profile?seconds=N}, or null while it is not (or cannot be) started. */
    public WindowedProfiler cpuProfiler() {
        return cpuProfiler;
    }

    /** Returns the wall-clock profiler for {@code /wall?seconds=N}, or null where the native engine does not run. */
    public WindowedProfiler wallProfiler() {
        return wallProfiler;
    }

    /** Starts the CPU profiler, or prints one {@code diag:} line and leaves it off. */
    @Override
    public void start(FeatureContext agent) {
        var profiles = agent.options().profiles();
        boolean files = agent.options().recordsProfiles();
        boolean cpuFiles = files && profiles.contains(GoProfiles.CPU);
        boolean wallFiles = files && profiles.contains(WALL);
        boolean http = agent.options().isSet(OptionKey.HTTP);
        synchronized (this) {
            this.agent = agent;
        }
        if (!cpuFiles && !wallFiles && !http) return; // until a window asks: startForWindows
        startProfilers(agent, cpuFiles, wallFiles, http);
    }

    /**
     * Starts the profilers for windows ({@code java -jar diag.jar profile}) when the options started none; a second
     * call, or one after {@link #start} started them, does nothing. Call on a diag thread after {@link #start}.
     */
    public void startForWindows() {
        FeatureContext agent;
        synchronized (this) {
            agent = this.agent;
        }
        if (agent != null) startProfilers(agent, false, false, true);
    }

    private synchronized void startProfilers(FeatureContext agent, boolean cpuFiles, boolean wallFiles, boolean windows) {
        if (started) return;
        started = true;
        if (cpuFiles) agent.addExitProfile(GoProfiles.CPU, () -> null); // off: the source said why, once
        if (wallFiles) agent.addExitProfile(WALL, () -> null);
        NativeSampler sampler = agent.nativeSampler();
        if (sampler == null && wallFiles) {
            Log.error("the wall profile needs the native engine (engine=async-profiler), which is not running; "
                    + "wall is not written");
        }
        if (!cpuFiles && !windows && sampler == null) return;
        long period = 1_000_000_000L / agent.options().getLong(OptionKey.CPU_HZ);
        SampledProfiler cpu = SampledProfiler.cpu(period);
        LongSupplier labelsDropped;
        if (sampler != null) {
            LabelTimeline labels = sampler.labels();
            labelsDropped = labels::dropped;
            NativeSamples source = new NativeSamples(sampler, NativeSampler.Kind.CPU, cpu.sink());
            source.showLabels(labels);
            cpu.use(source);
            SampledProfiler wall = SampledProfiler.wall(sampler.wallIntervalNanos());
            NativeSamples wallSource = new NativeSamples(sampler, NativeSampler.Kind.WALL, wall.sink());
            wallSource.showLabels(labels);
            wall.use(wallSource);
            if (wallFiles) agent.addExitProfile(WALL, wall.recordUntilExit());
            wallProfiler = wall;
            agent.addCounter("wall.samples_dropped", wall::samplesDropped);
        } else {
            if (agent.jfr() == null) return;
            ThreadLabels labels = agent.threadLabels(); // its drops are counted as labels.jfr_threads_dropped
            labelsDropped = () -> 0;
            JfrCpuSamples source = new JfrCpuSamples(agent.jfr(), cpu.periodNanos(), cpu.sink());
            if (!source.start()) return;
            source.showLabels(labels);
            cpu.use(source);
        }
        agent.addCounter("cpu.samples_dropped", cpu::samplesDropped);
        agent.addCounter("labels.threads_dropped",
                () -> LabelHook.dropped() + labelsDropped.getAsLong());
        if (cpuFiles) agent.addExitProfile(GoProfiles.CPU, cpu.recordUntilExit());
        cpuProfiler = cpu;
    }
}
