package dev.diag.contention;

import dev.diag.pprof.EpochNanos;
import dev.diag.hook.MutexWaiters;
import dev.diag.hook.ParkHook;
import dev.diag.jfr.EventRequest;
import dev.diag.jfr.JfrSession;
import dev.diag.jfr.JfrStacks;
import dev.diag.labels.ThreadLabels;
import dev.diag.pprof.Label;
import dev.diag.stack.Frame;
import dev.diag.stack.StackCapture;
import dev.diag.stack.StackTable;
import jdk.jfr.consumer.RecordedClass;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedThread;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * {@code synchronized} contention and {@code Object.wait} for the block and mutex profiles, from JFR's
 * {@code jdk.JavaMonitorEnter} and {@code jdk.JavaMonitorWait} at a zero threshold: both happen in native code that
 * advice cannot reach, and JFR at 0 ms records every one (measured: 100%), with the waiter's stack and, for enter,
 * the thread that held the monitor ({@code previousOwner}).
 *
 * <p>Block: every monitor enter and wait, sampled with the block rate exactly as parks are. Mutex: JFR gives the
 * holder's thread but not its stack, so the delay is charged to the waiter's stack with a {@code holder_thread}
 * label naming the holder, each part of the wait to the thread that held the monitor then
 * ({@link MonitorOwnership}); precision is per thread, not per holding method. Sampled with the mutex fraction. Events
 * of diag's own threads are skipped. Runs on the JFR stream thread.
 *
 * <p>Labels ({@link ThreadLabels}, from the same stream, in time order): block samples carry the waiter's labels,
 * which a blocked thread cannot change; each mutex share carries its holder's labels at the start of that share, when
 * it held the monitor (at the event the holder may have left its scope already).
 *
 * <p>Nothing of JFR's is kept past an event's call: its stack becomes frames and is interned in the same
 * {@link StackTable} as the hooks' stacks, under the same bound, and the tables keep that id.
 */
final class MonitorContention {
    static final String ENTER = "jdk.JavaMonitorEnter";
    static final String WAIT = "jdk.JavaMonitorWait";
    /** The leaf of a wait for another thread's class initialization (see {@link #waitStack}). */
    static final Frame CLASS_INIT_WAIT = new Frame("jvm", "waitForClassInitialization", null, null, 0);

    private final StackTable stacks;
    private final ContentionTable block;
    private final ContentionTable mutex;
    private final MonitorOwnership ownership = new MonitorOwnership();
    private volatile ThreadLabels labels;
    // Written by the JFR stream thread alone, read by /debug/vars.
    private volatile long events;
    private volatile long blockRecorded;
    private volatile long mutexRecorded;

    MonitorContention(StackTable stacks, ContentionTable block, ContentionTable mutex) {
        this.stacks = stacks;
        this.block = block;
        this.mutex = mutex;
    }

    /** Subscribes to both events; returns false when JFR cannot run here. */
    boolean subscribe(JfrSession jfr) {
        boolean enter = jfr.subscribe(EventRequest.of(ENTER).threshold(Duration.ZERO).withStackTrace(),
                this::onEnter);
        boolean wait = enter && jfr.subscribe(EventRequest.of(WAIT).threshold(Duration.ZERO).withStackTrace(),
                this::onWait);
        return enter && wait;
    }

    void onEnter(RecordedEvent e) {
        events++;
        long d = e.getDuration().toNanos();
        long rate = ParkHook.blockRate();
        boolean forBlock = rate > 0 && sampled(d, rate);
        long fraction = MutexWaiters.fraction();
        boolean forMutex = fraction > 0 && (fraction == 1 || ThreadLocalRandom.current().nextLong(fraction) == 0);
        // Decided before reading anything else of the event: at sampled rates most events stop here.
        if (!forBlock && !forMutex || isDiagThread(e.getThread()) || isInsideDiag(e)) return;
        int waiter = stacks.intern(waitStack(e, false));
        ThreadLabels labels = this.labels;
        if (forBlock) {
            block.addBlockEvent(waiter, labelsOf(labels, e.getThread()), d, rate);
            blockRecorded++;
        }
        if (forMutex) {
            RecordedThread previous = e.getThread("previousOwner");
            ownership.onEnter(e.getLong("address"), EpochNanos.of(e.getStartTime()), EpochNanos.of(e.getEndTime()),
                    threadName(e.getThread()), previous == null ? null : threadName(previous),
                    previous == null ? -1 : previous.getJavaThreadId(), (holder, holderId, since, ns) -> {
                        // The holder's labels while it held the monitor (Go's rule: the holder's), not at the
                        // event, which comes after the holder released it and maybe closed its scope.
                        List<Label> l = labels == null || holderId < 0 ? List.of() : labels.at(holderId, since);
                        if (ns > 0) mutex.add(waiter, holder, l, fraction, ns * fraction);
                    });
            mutexRecorded++;
        }
    }

    void onWait(RecordedEvent e) {
        events++;
        long d = e.getDuration().toNanos();
        long rate = ParkHook.blockRate();
        if (rate <= 0 || !sampled(d, rate) || isDiagThread(e.getThread()) || isInsideDiag(e)) return;
        block.addBlockEvent(stacks.intern(waitStack(e, true)), labelsOf(labels, e.getThread()), d, rate);
        blockRecorded++;
    }

    /**
     * Labels the events from now on with their threads' labels: the waiter's at the wait in the block profile, the
     * holder's while it held the monitor in the mutex profile.
     */
    void showLabels(ThreadLabels threadLabels) {
        this.labels = threadLabels;
    }

    /** The waiter's labels at the wait: it could not change them while blocked, so as of the event's end. */
    private static List<Label> labelsOf(ThreadLabels labels, RecordedThread waiter) {
        return labels == null || waiter == null ? List.of() : labels.of(waiter.getJavaThreadId());
    }

    /** Returns how many monitor enter and wait events JFR delivered: each cost the waiting thread a JFR event. */
    long events() {
        return events;
    }

    /** Returns how many of them were recorded in the block profile. */
    long blockRecorded() {
        return blockRecorded;
    }

    /** Returns how many of them were recorded in the mutex profile. */
    long mutexRecorded() {
        return mutexRecorded;
    }

    /**
     * Returns the waiter's stack, with a {@link #CLASS_INIT_WAIT} leaf when the thread was in fact waiting for another
     * thread to finish a class's static initializer. The JVM reports that as monitor events on an internal
     * {@code int[]} lock, with the code that touched the class on top: a wait whose top frame is not
     * {@code Object.wait}, or a contended enter of an {@code int[]} (rarely an application's own lock). Without the
     * leaf, an {@code ArrayBlockingQueue.take} that first touched {@code ForkJoinPool} would show a 250 ms wait "in"
     * {@code ConditionObject.await}.
     */
    private static Frame[] waitStack(RecordedEvent e, boolean isWait) {
        Frame[] frames = stack(e);
        if (frames.length == 0) return frames;
        boolean classInit = isWait ? !frames[0].className().equals("java.lang.Object") : locksIntArray(e);
        if (!classInit) return frames;
        Frame[] withLeaf = new Frame[frames.length + 1];
        withLeaf[0] = CLASS_INIT_WAIT;
        System.arraycopy(frames, 0, withLeaf, 1, frames.length);
        return withLeaf;
    }

    private static boolean locksIntArray(RecordedEvent e) {
        RecordedClass monitorClass = e.getClass("monitorClass");
        return monitorClass != null && "[I".equals(monitorClass.getName());
    }

    /**
     * Returns whether the monitor was entered inside diag's own code on an application thread ({@code ClassValue}
     * takes a JDK-wide lock for each class a hook meets; the class transformer reads class files under the JDK's
     * image lock): that wait is diag's, not the application's. Decided by the leaf-most diag frame, which may sit below JDK frames
     * ({@code ClassValue.initializeMap} called from {@code ClassIds.of}); a task wrapper is not hook code, since the
     * application's task runs inside it.
     */
    private static boolean isInsideDiag(RecordedEvent e) {
        var trace = e.getStackTrace();
        if (trace == null) return false;
        for (var frame : trace.getFrames()) {
            var method = frame.getMethod();
            String className = method == null || method.getType() == null ? "" : method.getType().getName();
            if (isDiagCode(className)) return !StackCapture.isTaskWrapper(className);
        }
        return false;
    }

    /**
     * Returns whether a class is diag code that runs on application threads: the hooks, and the class transformer
     * (diag's weaver and the ASM it uses) that the JVM calls on the thread loading a class.
     */
    private static boolean isDiagCode(String className) {
        return StackCapture.isDiagClass(className) || className.startsWith("dev.diag.shaded.")
                || className.startsWith("dev.diag.instrument.");
    }

    private static boolean sampled(long d, long rate) {
        return rate <= d || ThreadLocalRandom.current().nextLong(rate) < d;
    }

    /** Returns the waiter's stack with the leading {@code Object.wait} overloads folded into the outermost one. */
    private static Frame[] stack(RecordedEvent e) {
        Frame[] frames = JfrStacks.frames(e.getStackTrace());
        int top = 0;
        while (top + 1 < frames.length && frames[top].className().equals("java.lang.Object")
                && frames[top + 1].className().equals("java.lang.Object")) {
            top++;
        }
        return top == 0 ? frames : Arrays.copyOfRange(frames, top, frames.length);
    }


    private static String threadName(RecordedThread t) {
        if (t == null) return null;
        String name = t.getJavaName();
        return name != null ? name : t.getOSName();
    }

    private static boolean isDiagThread(RecordedThread t) {
        return t != null && t.getThreadGroup() != null && "diag".equals(t.getThreadGroup().getName());
    }
}
