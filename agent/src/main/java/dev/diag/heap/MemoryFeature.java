package dev.diag.heap;

import dev.diag.base.OptionKey;
import dev.diag.feature.Feature;
import dev.diag.feature.FeatureContext;
import dev.diag.pprof.GoProfiles;
import dev.diag.sampler.NativeSampler;

/**
 * Registers the {@code allocs} and {@code heap} profiles when something will read them: {@code http=}, or
 * {@code out=} with either in {@code profiles}. Allocations come from async-profiler's native sampler, else JFR;
 * live objects ({@code inuse_*}) from JFR's old-object sampler, started only when {@code heap} is asked for (or
 * {@code http=} may ask): starting JFR costs about a second of CPU, which {@code allocs} alone should not pay. Names
 * no {@code jdk.jfr} type, so it can run where JFR is absent.
 */
public final class MemoryFeature implements Feature {
    /** Set by {@link #start}; null until then. */
    private FeatureContext agent;
    /** Whether sampling has been started (or its start tried): once per JVM. */
    private boolean started;
    /** The profiles, once registered; null when sampling could not start. */
    private MemoryProfile allocs;
    private MemoryProfile heap;
    /** Whether live objects were added after the start (tried once). */
    private boolean liveAdded;

    @Override
    public String name() {
        return "heap and allocs profiles";
    }

    /** Starts allocation and live-object sampling, or prints one {@code diag:} line. */
    @Override
    public void start(FeatureContext agent) {
        var profiles = agent.options().profiles();
        boolean files = agent.options().recordsProfiles();
        boolean http = agent.options().isSet(OptionKey.HTTP);
        boolean forFiles = files && (profiles.contains(GoProfiles.HEAP) || profiles.contains(GoProfiles.ALLOCS));
        synchronized (this) {
            this.agent = agent;
        }
        if (!forFiles && !http) return; // until a window asks: startForWindows
        startSampling(agent, forFiles, http || (files && profiles.contains(GoProfiles.HEAP)));
    }

    /**
     * Registers {@code allocs} and {@code heap} for a window ({@code java -jar diag.jar profile}) when the options
     * started neither; {@code heap} also starts the live-object sampler (a second of CPU for JFR), {@code allocs}
     * alone does not. Does nothing once sampling has started. Call on a diag thread after {@link #start}.
     */
    public void startForWindows(boolean heap) {
        FeatureContext agent;
        synchronized (this) {
            agent = this.agent;
        }
        if (agent != null) startSampling(agent, false, heap);
    }

    private synchronized void startSampling(FeatureContext agent, boolean forFiles, boolean liveObjects) {
        if (started) {
            if (liveObjects) addLiveObjects(agent); // allocs first, heap now
            return;
        }
        started = true;
        NativeSampler sampler = agent.nativeSampler();
        Allocations allocations = sampler != null ? new NativeAllocations(sampler)
                : agent.jfr() == null ? null : new JfrAllocations(agent.jfr(), agent.threadLabels());
        if (allocations == null || !allocations.start()) {
            if (forFiles) { // nothing to write, and the source has said why, once
                agent.addExitProfile(GoProfiles.HEAP, () -> null);
                agent.addExitProfile(GoProfiles.ALLOCS, () -> null);
            }
            return;
        }
        LiveObjectSampler live = null;
        if (liveObjects || sampler == null) {
            live = agent.jfr() == null ? null : new LiveObjectSampler(agent.jfr());
            if (live != null && !live.start()) live = null;
        }
        liveAdded = live != null;
        agent.addCounter("allocs.samples_dropped", allocations.table()::dropped);
        long rate = agent.options().getLong(OptionKey.ALLOC_RATE);
        allocs = new MemoryProfile(GoProfiles.ALLOCS, GoProfiles.ALLOCS_DEFAULT_SAMPLE_TYPE, allocations, live, rate);
        heap = new MemoryProfile(GoProfiles.HEAP, null, allocations, live, rate);
        agent.registry().register(allocs);
        agent.registry().register(heap);
    }

    /** Starts the live-object sampler for profiles registered without one (an allocs window, then a heap one). */
    private void addLiveObjects(FeatureContext agent) {
        if (heap == null || liveAdded || agent.jfr() == null) return;
        liveAdded = true;
        LiveObjectSampler live = new LiveObjectSampler(agent.jfr());
        if (!live.start()) return;
        heap.useLive(live);
        allocs.useLive(live);
    }
}
