package dev.diag.contention;

import dev.diag.base.DiagThreads;
import dev.diag.base.Log;
import dev.diag.base.OptionKey;
import dev.diag.drain.RingDrainer;
import dev.diag.feature.Feature;
import dev.diag.feature.FeatureContext;
import dev.diag.hook.MutexWaiters;
import dev.diag.hook.ParkHook;
import dev.diag.jfr.JfrSession;
import dev.diag.pprof.GoProfiles;
import dev.diag.stack.StackCapture;
import dev.diag.stack.StackTable;

import java.util.Set;


/**
 * The block and mutex profiles of one agent: registers them, publishes their counters, subscribes to the shared ring
 * drainer and to JFR's monitor events, and sets the hooks' rates, now and when they change at run time.
 *
 * <p>The park and release hooks are always installed (their cost with both rates at 0 is one static read), so a
 * later {@link #setRates} takes effect without retransforming anything. JFR is only started once a rate is on.
 */
public final class ContentionProfiles implements Feature {
    private final RingDrainer drainer;
    private final ContentionTable block = new ContentionTable(StackTable.SHARED);
    private final ContentionTable mutex = new ContentionTable(StackTable.SHARED);
    private final ContentionRecorder recorder = new ContentionRecorder(StackTable.SHARED, block, mutex);
    private final MonitorContention monitors = new MonitorContention(StackTable.SHARED, block, mutex);
    private FeatureContext agent;
    private boolean monitorsSubscribed;

    /** Block and mutex profiles fed by {@code drainer}, which the agent starts and stops. */
    public ContentionProfiles(RingDrainer drainer) {
        this.drainer = drainer;
    }

    @Override
    public String name() {
        return "block and mutex profiles";
    }

    /**
     * Registers {@code block} and {@code mutex} in the agent's registry and its counters, subscribes to the drainer
     * and applies the options' {@code block.rate} and {@code mutex.fraction}. Call once, on {@code diag-init}.
     */
    @Override
    public synchronized void start(FeatureContext context) {
        agent = context;
        context.registry().register(new ContentionProfile(GoProfiles.BLOCK, block, OptionKey.BLOCK_RATE.key(),
                () -> context.options().blockRate(), drainer::drainNow)); // the option, not the hook: exit sets the hook to 0 first
        context.registry().register(new ContentionProfile(GoProfiles.MUTEX, mutex, OptionKey.MUTEX_FRACTION.key(),
                () -> context.options().mutexFraction(), drainer::drainNow));
        publishCounters();
        ParkHook.setIgnoredGroup(DiagThreads.group());
        drainer.subscribe(recorder);
        context.onStop(ContentionProfiles::stop); // before the drainer's own stop drains what is left
        setRates(context.options().blockRate(), context.options().mutexFraction());
        // As a Go program calls SetBlockProfileRate and SetMutexProfileFraction: the installed hooks change at once.
        context.onOptionChange(name(), Set.of(OptionKey.BLOCK_RATE, OptionKey.MUTEX_FRACTION),
                (before, after) -> setRates(after.blockRate(), after.mutexFraction()));
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
            if (jfr != null) monitors.showLabels(agent.threadLabels()); // before the events: labels from the first
            if (jfr == null || !monitors.subscribe(jfr)) {
                Log.featureError("synchronized and Object.wait contention is off (no JFR); java.util.concurrent waits are"
                        + " still profiled");
            }
        }
    }

    private void publishCounters() {
        // What block and mutex cost, by cause: each recorded event paid for a stack; each monitor event, for a JFR
        // event with its stack, whether recorded or not.
        agent.addCounter("block.recorded", () -> recorder.blockRecords() + monitors.blockRecorded());
        agent.addCounter("mutex.recorded", () -> recorder.mutexRecords() + monitors.mutexRecorded());
        agent.addCounter("monitor.events", monitors::events);
        agent.addCounter("stacks.from_backtrace", () -> StackCapture.WAIT_SITE.readsBacktraces() ? 1 : 0);
        agent.addCounter("stacks.interned", StackTable.SHARED::size);
        agent.addCounter("stacks.cache_full", StackCapture.WAIT_SITE::cacheFull);
        agent.addCounter("stacks.dropped", StackTable.SHARED::dropped);
        agent.addCounter("frames.shared", dev.diag.stack.FrameTable.SHARED::size);
        agent.addCounter("frames.unshared", dev.diag.stack.FrameTable.SHARED::unshared);
        agent.addCounter("block.sites_dropped", block::dropped);
        agent.addCounter("mutex.sites_dropped", mutex::dropped);
        agent.addCounter("mutex.waiters_dropped", MutexWaiters::dropped);
    }

    private static void stop() {
        ParkHook.setBlockRate(0);
        MutexWaiters.setFraction(0);
    }
}
