package dev.diag.contention;

import dev.diag.agent.Agent;
import dev.diag.agent.DiagThreads;
import dev.diag.agent.Log;
import dev.diag.hook.MutexWaiters;
import dev.diag.hook.ParkHook;
import dev.diag.jfr.JfrSession;
import dev.diag.pprof.GoProfiles;
import dev.diag.ring.EventRing;
import dev.diag.ring.RecordHandler;
import dev.diag.stack.StackCapture;
import dev.diag.stack.StackTable;


/**
 * The block and mutex profiles of one agent: registers them, publishes their counters, starts the drainer, subscribes
 * to JFR's monitor events, and sets the hooks' rates, now and when they change at run time.
 *
 * <p>The park and release hooks are always installed (their cost with both rates at 0 is one static read), so a
 * later {@link #setRates} takes effect without retransforming anything. JFR is only started once a rate is on.
 */
public final class ContentionProfiles {
    private static volatile ContentionProfiles current;

    private final Agent agent;
    private final ContentionTable block = new ContentionTable(StackTable.SHARED);
    private final ContentionTable mutex = new ContentionTable(StackTable.SHARED);
    private final ContentionDrainer drainer =
            new ContentionDrainer(EventRing.SHARED, StackTable.SHARED, block, mutex);
    private final MonitorContention monitors = new MonitorContention(StackTable.SHARED, block, mutex);
    private boolean monitorsSubscribed;

    private ContentionProfiles(Agent agent) {
        this.agent = agent;
    }

    /**
     * Registers {@code block} and {@code mutex} in the agent's registry and its counters, starts {@code diag-drainer}
     * and applies the options' {@code block.rate} and {@code mutex.fraction}. Call once, on {@code diag-init}.
     */
    public static ContentionProfiles start(Agent agent) {
        ContentionProfiles p = new ContentionProfiles(agent);
        agent.registry().register(new ContentionProfile(GoProfiles.BLOCK, p.block));
        agent.registry().register(new ContentionProfile(GoProfiles.MUTEX, p.mutex));
        p.publishCounters();
        ParkHook.setIgnoredGroup(DiagThreads.group());
        p.drainer.start();
        agent.onStop(p::stop);
        current = p;
        p.setRates(agent.options().blockRate(), agent.options().mutexFraction());
        return p;
    }

    /** Returns the running instance, or null before {@link #start}. */
    public static ContentionProfiles current() {
        return current;
    }

    /**
     * Sets {@code block.rate} (ns, as {@code runtime.SetBlockProfileRate}) and {@code mutex.fraction} (as
     * {@code runtime.SetMutexProfileFraction}); 0 turns each off. Takes effect at once; starts JFR's monitor events
     * the first time either is on.
     */
    public synchronized void setRates(long blockRate, long mutexFraction) {
        ParkHook.setBlockRate(blockRate);
        MutexWaiters.setFraction(mutexFraction);
        if ((blockRate > 0 || mutexFraction > 0) && !monitorsSubscribed) {
            JfrSession jfr = agent.jfr();
            monitorsSubscribed = true;
            if (jfr == null || !monitors.subscribe(jfr)) {
                Log.featureError("synchronized and Object.wait contention is off (no JFR); java.util.concurrent waits are"
                        + " still profiled");
            }
        }
    }

    /** Adds a consumer of every ring record (any type), called on {@code diag-drainer}; it must be quick. */
    public void subscribe(RecordHandler handler) {
        drainer.subscribe(handler);
    }

    /**
     * Hands every record offered to the ring so far to the tables and subscribers before returning (the tracer calls
     * it as a trace stops, so that the trace holds the parks of its last milliseconds).
     */
    public void drainNow() {
        drainer.drainNow();
    }

    private void publishCounters() {
        // What block and mutex cost, by cause: each recorded event paid for a stack; each monitor event, for a JFR
        // event with its stack, whether recorded or not.
        agent.addCounter("block.recorded", () -> drainer.blockRecords() + monitors.blockRecorded());
        agent.addCounter("mutex.recorded", () -> drainer.mutexRecords() + monitors.mutexRecorded());
        agent.addCounter("monitor.events", monitors::events);
        agent.addCounter("stacks.from_backtrace", () -> StackCapture.WAIT_SITE.readsBacktraces() ? 1 : 0);
        agent.addCounter("ring.seen", () -> EventRing.SHARED.offered() + EventRing.SHARED.dropped());
        agent.addCounter("ring.recorded", drainer::drained);
        agent.addCounter("ring.dropped", EventRing.SHARED::dropped);
        agent.addCounter("ring.max_occupancy", EventRing.SHARED::maxOccupancy);
        agent.addCounter("ring.capacity", EventRing.SHARED::capacity);
        agent.addCounter("stacks.interned", StackTable.SHARED::size);
        agent.addCounter("stacks.cache_full", StackCapture.WAIT_SITE::cacheFull);
        agent.addCounter("stacks.dropped", StackTable.SHARED::dropped);
        agent.addCounter("frames.shared", dev.diag.stack.FrameTable.SHARED::size);
        agent.addCounter("frames.unshared", dev.diag.stack.FrameTable.SHARED::unshared);
        agent.addCounter("block.sites_dropped", block::dropped);
        agent.addCounter("mutex.sites_dropped", mutex::dropped);
        agent.addCounter("mutex.waiters_dropped", MutexWaiters::dropped);
    }

    private void stop() {
        ParkHook.setBlockRate(0);
        MutexWaiters.setFraction(0);
        try {
            drainer.stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
