package dev.diag.cpu;

import dev.diag.agent.Agent;
import dev.diag.agent.OptionKey;
import dev.diag.labels.ThreadLabels;
import dev.diag.pprof.GoProfiles;
import dev.diag.sampler.NativeSampler;

/**
 * Starts the CPU profiler when something will read it: {@code out=} with {@code cpu} in {@code profiles} (a
 * recording from start to exit, and continuous windows) or {@code http=} ({@code /debug/pprof/profile}). Samples come
 * from async-profiler's native sampler, else from JFR. Names no {@code jdk.jfr} type, so it can run (and do nothing)
 * where the runtime has no JFR.
 */
public final class CpuFeature {
    private CpuFeature() {}

    /** Starts the CPU profiler for {@code agent}, or prints one {@code diag:} line and leaves it off. */
    public static void start(Agent agent) {
        boolean forFiles = agent.options().isSet(OptionKey.OUT) && agent.options().profiles().contains(GoProfiles.CPU);
        boolean forHttp = agent.options().isSet(OptionKey.HTTP);
        if (!forFiles && !forHttp) return;
        if (forFiles) agent.addExitProfile(GoProfiles.CPU, () -> null); // off: the source said why, once
        CpuProfiler cpu = new CpuProfiler(agent.options().getLong(OptionKey.CPU_HZ));
        NativeSampler sampler = agent.nativeSampler();
        ThreadLabels labels;
        if (sampler != null) {
            NativeCpuSamples source = new NativeCpuSamples(sampler, cpu.sink());
            labels = ThreadLabels.timeline();
            source.showLabels(labels);
            cpu.use(source);
        } else {
            if (agent.jfr() == null) return;
            JfrCpuSamples source = new JfrCpuSamples(agent.jfr(), cpu.goPeriodNanos(), cpu.sink());
            if (!source.start()) return;
            labels = ThreadLabels.start(agent.jfr());
            source.showLabels(labels);
            cpu.use(source);
        }
        agent.addCounter("cpu.samples_dropped", cpu::samplesDropped);
        agent.addCounter("labels.threads_dropped",
                () -> dev.diag.hook.LabelHook.dropped() + (labels == null ? 0 : labels.dropped()));
        if (forFiles) agent.addExitProfile(GoProfiles.CPU, cpu.recordUntilExit());
        agent.setCpuProfiler(cpu);
    }
}
