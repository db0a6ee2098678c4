package dev.diag.cpu;

import dev.diag.agent.Agent;
import dev.diag.agent.OptionKey;
import dev.diag.labels.ThreadLabels;
import dev.diag.pprof.GoProfiles;

/**
 * Starts the CPU profiler when something will read it: {@code out=} with {@code cpu} in {@code profiles} (a
 * recording from start to exit, and continuous windows) or {@code http=} ({@code /debug/pprof/profile}). Names no
 * {@code jdk.jfr} type, so it can run (and do nothing) where the runtime has no JFR.
 */
public final class CpuFeature {
    private CpuFeature() {}

    /** Starts the CPU profiler for {@code agent}, or prints one {@code diag:} line and leaves it off. */
    public static void start(Agent agent) {
        boolean forFiles = agent.options().isSet(OptionKey.OUT) && agent.options().profiles().contains(GoProfiles.CPU);
        boolean forHttp = agent.options().isSet(OptionKey.HTTP);
        if (!forFiles && !forHttp) return;
        if (forFiles) agent.addExitProfile(GoProfiles.CPU, () -> null); // off: JFR said why, once
        if (agent.jfr() == null) return;
        CpuProfiler cpu = new CpuProfiler(agent.jfr(), agent.options().getLong(OptionKey.CPU_HZ));
        if (!cpu.start()) return;
        ThreadLabels labels = ThreadLabels.start(agent.jfr());
        cpu.showLabels(labels);
        agent.addCounter("cpu.samples_dropped", cpu::samplesDropped);
        agent.addCounter("labels.threads_dropped",
                () -> dev.diag.hook.LabelHook.dropped() + (labels == null ? 0 : labels.dropped()));
        if (forFiles) agent.addExitProfile(GoProfiles.CPU, cpu.recordUntilExit());
        agent.setCpuProfiler(cpu);
    }
}
