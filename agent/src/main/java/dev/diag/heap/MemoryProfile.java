package dev.diag.heap;

import dev.diag.base.Log;
import dev.diag.pprof.GoProfiles;
import dev.diag.pprof.Label;
import dev.diag.pprof.Profile;
import dev.diag.pprof.ProfileData;
import dev.diag.pprof.Sample;
import dev.diag.pprof.StackValueTable;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Go's {@code heap} and {@code allocs} profiles (the same data; {@code allocs} shows {@code alloc_space} first):
 * {@code [alloc_objects/count, alloc_space/bytes, inuse_objects/count, inuse_space/bytes]} per stack.
 *
 * <p>Allocation values come from {@link Allocations} (cumulative since diag started). In-use values come from
 * a {@link LiveObjectSampler} snapshot taken now: the heap in use after the last GC (as Go's; use {@code gc=1} for a
 * fresh one) is split evenly over the live samples,
 * and each carries a numeric {@code bytes} label with its object size when known, as Go labels heap samples.
 */
final class MemoryProfile implements Profile {
    private final String name;
    private final String defaultSampleType;
    private final Allocations allocations;
    /** Null until something asks for live objects: {@code heap} in profiles=, http=, or a heap window. */
    private volatile LiveObjectSampler live;
    private final long configuredRate;

    MemoryProfile(String name, String defaultSampleType, Allocations allocations, LiveObjectSampler live,
                  long configuredRate) {
        this.name = name;
        this.defaultSampleType = defaultSampleType;
        this.allocations = allocations;
        this.live = live;
        this.configuredRate = configuredRate;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int count() {
        return allocations.table().size();
    }

    /** Why inuse_* is empty when JFR's old-object sampler returned no live object. */
    static final String NO_LIVE_SAMPLES = "inuse_* empty: JFR's old-object sampler gave no live sample "
            + "(a run too short for one, or an empty old-object dump)";
    /** Whether the empty in-use part of a heap file written at exit was said on stderr (once per JVM). */
    private static final AtomicBoolean SAID_NO_LIVE_SAMPLES_AT_EXIT = new AtomicBoolean();

    /** Adds live objects (inuse_*) to a profile registered without them; a sampler already there stays. */
    void useLive(LiveObjectSampler sampler) {
        if (live == null) live = sampler;
    }

    @Override
    public ProfileData snapshot() {
        long now = System.currentTimeMillis() * 1_000_000L;
        boolean exiting = dev.diag.base.Lifecycle.exiting();
        if (exiting) {
            allocations.finish(); // the agent has waited for the source; what is still missing is the tail
        } else {
            try {
                allocations.catchUp(); // so that a snapshot (and a delta of two) holds everything allocated until now
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        List<Sample> samples = new ArrayList<>();
        for (Sample s : allocations.table().samples()) {
            samples.add(new Sample(s.stack(), new long[] {s.values()[0], s.values()[1], 0, 0}, s.labels()));
        }
        List<String> comments = new ArrayList<>(allocations.comments());
        LiveObjectSampler live = this.live;
        if (live == null) {
            comments.add("diag: inuse_* not recorded: add heap to profiles= (or serve http=, or diag.jar profile "
                    + "-e heap) for live objects");
        } else {
            try {
                List<Sample> inUse = inUse(live);
                samples.addAll(inUse);
                // An empty in-use part must not read as an empty heap: JFR had no live sample to give (a short run,
                // or its old-object dump came back empty, as in 1 of 4 short JDK 17 runs).
                // Said on stderr too for the heap file written at exit, read later when nobody looks at comments;
                // not for allocs (alloc_* is its view) nor an early HTTP fetch (its reader gets the comment now).
                if (inUse.isEmpty() && name.equals(GoProfiles.HEAP) && exiting
                        && SAID_NO_LIVE_SAMPLES_AT_EXIT.compareAndSet(false, true)) {
                    Log.info("heap.pb.gz: " + NO_LIVE_SAMPLES + "; alloc_* are whole");
                }
                comments.add(inUse.isEmpty() ? "diag: " + NO_LIVE_SAMPLES
                        : "diag: inuse_* from jdk.OldObjectSample live samples x heap in use");
            } catch (Exception e) {
                Log.debug("heap: no in-use snapshot: " + e);
                comments.add("diag: inuse_* unavailable: " + e.getMessage());
            }
        }
        // Go states runtime.MemProfileRate here (its values are already scaled, so no tool multiplies by it); so does
        // diag, with alloc.rate: a tool comparing a JVM's profile with a Go server's sees the same header.
        return new ProfileData(GoProfiles.MEMORY_TYPES, defaultSampleType, GoProfiles.MEMORY_PERIOD_TYPE,
                configuredRate, now, 0, samples, comments);
    }

    /**
     * Returns the heap in use after the last collection (the sum of heap pools' collection usage), or the heap in use
     * now when no collection has run yet; garbage created since the last GC is not counted, as in Go.
     */
    static long liveHeapEstimate() {
        long afterGc = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            MemoryUsage u = pool.getType() == MemoryType.HEAP ? pool.getCollectionUsage() : null;
            if (u != null) afterGc += u.getUsed();
        }
        return afterGc > 0 ? afterGc : ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private List<Sample> inUse(LiveObjectSampler live) throws Exception {
        List<LiveObjectSampler.LiveObject> objects = live.snapshot();
        if (objects.isEmpty()) return List.of();
        long heapInUse = liveHeapEstimate();
        long perSample = heapInUse / objects.size();
        StackValueTable table = new StackValueTable(2);
        for (LiveObjectSampler.LiveObject o : objects) {
            long count = o.size() > 0 ? Math.max(1, perSample / o.size()) : 1;
            List<Label> labels = o.size() > 0 ? List.of(Label.number("bytes", o.size(), null)) : List.of();
            table.add(o.stack(), labels, count, perSample);
        }
        List<Sample> out = new ArrayList<>();
        for (Sample s : table.samples()) {
            out.add(new Sample(s.stack(), new long[] {0, 0, s.values()[0], s.values()[1]}, s.labels()));
        }
        return out;
    }
}
