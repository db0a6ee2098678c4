package dev.diag.heap;

import dev.diag.agent.Agent;
import dev.diag.agent.OptionKey;
import dev.diag.pprof.GoProfiles;

/**
 * Registers the {@code allocs} and {@code heap} profiles when something will read them: {@code http=}, or
 * {@code out=} with either in {@code profiles}. Names no {@code jdk.jfr} type, so it can run where JFR is absent.
 */
public final class MemoryFeature {
    private MemoryFeature() {}

    /** Starts allocation and live-object sampling for {@code agent}, or prints one {@code diag:} line. */
    public static void start(Agent agent) {
        var profiles = agent.options().profiles();
        boolean forFiles = agent.options().isSet(OptionKey.OUT)
                && (profiles.contains(GoProfiles.HEAP) || profiles.contains(GoProfiles.ALLOCS));
        if (!forFiles && !agent.options().isSet(OptionKey.HTTP)) return;
        AllocationRecorder allocations = agent.jfr() == null ? null : new AllocationRecorder(agent.jfr());
        LiveObjectSampler live = agent.jfr() == null ? null : new LiveObjectSampler(agent.jfr());
        if (allocations == null || !allocations.start() || !live.start()) {
            if (forFiles) { // nothing to write, and JFR has said why, once
                agent.addExitProfile(GoProfiles.HEAP, () -> null);
                agent.addExitProfile(GoProfiles.ALLOCS, () -> null);
            }
            return;
        }
        agent.addCounter("allocs.samples_dropped", allocations.table()::dropped);
        long rate = agent.options().getLong(OptionKey.ALLOC_RATE);
        agent.registry().register(new MemoryProfile(GoProfiles.ALLOCS, GoProfiles.ALLOCS_DEFAULT_SAMPLE_TYPE,
                allocations, live, rate));
        agent.registry().register(new MemoryProfile(GoProfiles.HEAP, null, allocations, live, rate));
    }
}
