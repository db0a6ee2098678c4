package dev.diag.hook;

import dev.diag.lockorder.HeldLocks;
import dev.diag.lockorder.LockOrderGraph;
import dev.diag.ring.EventRing;
import dev.diag.ring.RecordType;
import dev.diag.stack.StackCapture;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Entry points of the code woven into {@code ReentrantLock} and {@code ReentrantReadWriteLock}'s read and write locks
 * for {@code lockorder=1}: each thread's held locks ({@link HeldLocks}), and for every lock taken while others are held,
 * the edges held→taken in the {@link LockOrderGraph}. An edge whose reverse is already there is a potential deadlock;
 * it is counted and a {@link RecordType#LOCK_ORDER} record tells the agent, which reports it off this thread.
 *
 * <p>Rules, as the Linux kernel's lockdep: {@code lock()} and {@code lockInterruptibly()} wait, so they add edges;
 * a successful {@code tryLock} (timed or not) is held, and later locks get edges from it, but nothing gets an edge into
 * it: a try gives up rather than waiting for ever, so it cannot close a deadlock. A re-entry adds nothing.
 *
 * <p>Cost: woven only under {@code lockorder=1} (see {@code HookInstaller}); disabled, each hook is one static read.
 * On, a lock taken with nothing held is pushed on the thread's array and looked up in the node table (a few array
 * reads, no allocation once the thread's array exists); a nested one also looks up its edges. Only a new edge, or
 * one of the first {@value LockOrderGraph#SITES_PER_LOCK} acquisitions of a lock known to be nested, walks the stack.
 * Never throws, never blocks.
 */
public final class LockOrderHook {
    private static volatile boolean enabled;
    /** Set once lockorder was on: releases are then followed even after it is turned off, so no entry is left behind. */
    private static volatile boolean everEnabled;
    private static volatile ThreadGroup ignoredGroup;
    private static final ThreadLocal<HeldLocks> HELD = new ThreadLocal<>();
    private static final AtomicLong UNTRACKED = new AtomicLong();

    private LockOrderHook() {}

    /** Turns the lock-order graph on or off; locks held when it goes on are not known (their releases are ignored). */
    public static void setEnabled(boolean on) {
        if (on) everEnabled = true;
        enabled = on;
    }

    public static boolean enabled() {
        return enabled;
    }

    /** Sets the thread group whose threads' locks are not followed (diag's own). */
    public static void setIgnoredGroup(ThreadGroup group) {
        ignoredGroup = group;
    }

    /** Called as {@code lock()} or {@code lockInterruptibly()} returns: the lock is held after a possible wait. */
    public static void onLock(Object lock) {
        acquired(lock, true);
    }

    /** Called as a {@code tryLock} returns {@code acquired}. */
    public static void onTryLock(boolean acquired, Object lock) {
        if (acquired) acquired(lock, false);
    }

    /** Called as {@code unlock()} starts. */
    public static void onUnlock(Object lock) {
        try {
            if (!everEnabled) return;
            HeldLocks h = HELD.get();
            if (h != null) h.release(lock);
        } catch (Throwable ignored) {
            // woven into a JDK method: nothing reaches the application (see dev.diag.instrument.HookWeaver)
        }
    }

    private static void acquired(Object lock, boolean waits) {
        try {
            if (!enabled || lock == null) return;
            HeldLocks h = HELD.get();
            if (h == null) h = threadStarts();
            if (h.ignored()) return;
            int i = h.indexOf(lock);
            if (i >= 0) {
                h.reenter(i);
                return;
            }
            i = h.push(lock);
            if (i < 0) {
                UNTRACKED.incrementAndGet();
                return;
            }
            if (waits && i > 0 && hasNewEdge(h, i)) {
                recordEdges(h, i);
                return;
            }
            int node = h.node(i);
            if (node >= 0 && LockOrderGraph.takesSite(node)) recordSite(h, i, node);
        } catch (Throwable ignored) {
            // woven into a JDK method: nothing reaches the application
        }
    }

    private static HeldLocks threadStarts() {
        HeldLocks h = new HeldLocks(Thread.currentThread().getThreadGroup() == ignoredGroup);
        HELD.set(h);
        return h;
    }

    /**
     * Returns whether some held lock has no edge yet to entry {@code i} and there is room to add it. Allocates nothing.
     * (Without the room test, a full table would make every such acquisition walk its stack for nothing.)
     */
    private static boolean hasNewEdge(HeldLocks h, int i) {
        int to = h.node(i);
        if (to == LockOrderGraph.FULL) return false;
        for (int j = 0; j < i; j++) {
            int from = h.node(j);
            if (from == LockOrderGraph.FULL) continue;
            if (from < 0 || to < 0 || LockOrderGraph.findEdge(from, to) == -1) return true;
        }
        return false;
    }

    /** Adds the edges from every held lock to entry {@code i}, at the current stack; reports those that close a pair. */
    private static void recordEdges(HeldLocks h, int i) {
        if (!CallDepth.enter()) { // diag's own code took this lock
            CallDepth.exit();
            return;
        }
        try {
            int to = h.nodeOrAdd(i);
            if (to < 0) return;
            int stack = 0;
            Thread t = Thread.currentThread();
            for (int j = 0; j < i; j++) {
                int from = h.nodeOrAdd(j);
                if (from < 0 || LockOrderGraph.findEdge(from, to) != -1) continue;
                if (stack == 0) {
                    stack = StackCapture.WAIT_SITE.captureId();
                    h.setSite(i, stack);
                    LockOrderGraph.offerSite(to, stack);
                }
                if (LockOrderGraph.addEdge(from, to, stack, h.site(j), t) && LockOrderGraph.findEdge(to, from) >= 0) {
                    LockOrderGraph.countInversion();
                    EventRing.SHARED.offer(RecordType.LOCK_ORDER, stack, t.getId(), System.nanoTime(), 0, 0, from, to);
                }
            }
        } finally {
            CallDepth.exit();
        }
    }

    /** Keeps the current stack as where entry {@code i}'s lock was taken (and first seen taken, if it is the first). */
    private static void recordSite(HeldLocks h, int i, int node) {
        if (!CallDepth.enter()) {
            CallDepth.exit();
            return;
        }
        try {
            int stack = StackCapture.WAIT_SITE.captureId();
            h.setSite(i, stack);
            LockOrderGraph.offerSite(node, stack);
        } finally {
            CallDepth.exit();
        }
    }

    /** Returns how many acquisitions were not followed because their thread already held {@value HeldLocks#CAPACITY}. */
    public static long untracked() {
        return UNTRACKED.get();
    }
}
