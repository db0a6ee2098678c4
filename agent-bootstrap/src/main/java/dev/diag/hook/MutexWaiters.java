package dev.diag.hook;

import dev.diag.ring.EventRing;
import dev.diag.ring.RecordType;
import dev.diag.stack.StackCapture;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.StampedLock;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The mutex profile for {@code java.util.concurrent} locks: charges the time threads wait for a lock to the stack
 * that holds it, at its release, as Go's mutex profile reports contention at {@code Unlock}.
 *
 * <p>Rule: on each release of a lock (advice on the AQS {@code release}/{@code releaseShared} methods), every thread
 * still parked on it is charged the part of its wait since the later of its park start and the previous release of
 * that lock. A lock held long by one method thus charges that method, even when another thread's short hold is the
 * one whose unlock finally wakes the waiter. The lock's identity is the park's blocker: AQS parks with itself as
 * blocker, so waiters and releases meet on the same object.
 *
 * <p>Which waits count: waits for a lock that another thread <em>holds</em>, as Go's mutex profile covers
 * {@code sync.Mutex} and {@code sync.RWMutex} but not {@code sync.WaitGroup} or channels. A park counts when its
 * blocker is a {@link StampedLock}, or an AQS whose class, or a class enclosing it, implements {@link Lock} or
 * {@link ReadWriteLock}: {@code ReentrantLock}, {@code ReentrantReadWriteLock} (both modes), the locks inside the
 * blocking queues and user locks built the standard way. Latches, semaphores, barriers, phasers, futures and condition
 * waits are not locks held by someone: they are in the block profile only ({@link #isHeldLock}).
 *
 * <p>Sampling, as {@code runtime.SetMutexProfileFraction(n)}: a park joins with probability {@code 1/n} and its
 * charges are weighted by {@code n}. Waiters live in a fixed table of {@value #SLOTS} slots (a claimed slot holds the
 * lock, the time charged up to, and the weight); parks finding it full are counted ({@link #dropped()}) and not
 * tracked. A release scans only up to the highest slot ever used, and not at all when no waiter is tracked.
 *
 * <p>Slot protocol: claim by CAS of the lock reference from null; {@code since} is {@link #NOT_READY} until the
 * claimer stores the park start, and is set back to it before the slot is freed, so a releaser never charges a slot
 * that is being filled or emptied. Charging CASes {@code since} from its old value to the release time, so two
 * concurrent releases (shared locks) never charge the same interval twice.
 */
public final class MutexWaiters {
    static final int SLOTS = 4096;
    private static final long NOT_READY = Long.MIN_VALUE;

    private static volatile long fraction;
    private static final AtomicReferenceArray<Object> LOCKS = new AtomicReferenceArray<>(SLOTS);
    private static final AtomicLongArray SINCE = new AtomicLongArray(SLOTS);
    private static final AtomicLongArray WEIGHT = new AtomicLongArray(SLOTS);
    private static final AtomicInteger TRACKED = new AtomicInteger();
    private static final AtomicLong DROPPED = new AtomicLong();
    private static final java.util.concurrent.atomic.AtomicInteger HIGH_WATER = new java.util.concurrent.atomic.AtomicInteger();
    // An anonymous class, not a lambda: no invokedynamic links inside a hooked JDK method.
    private static final ClassValue<Boolean> HELD_LOCK = new ClassValue<Boolean>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            return isHeldLock(type);
        }
    };

    static {
        for (int i = 0; i < SLOTS; i++) SINCE.set(i, NOT_READY);
    }

    private MutexWaiters() {}

    /** Sets the mutex profile fraction, as {@code runtime.SetMutexProfileFraction}; {@code <= 0} turns it off. */
    public static void setFraction(long n) {
        fraction = Math.max(0, n);
    }

    /** Returns the mutex profile fraction in force (0: off). */
    public static long fraction() {
        return fraction;
    }

    /**
     * Called as a thread parks on {@code lock}: returns a slot handle (&gt; 0) when this wait is sampled for the mutex
     * profile, or 0. The caller must pass the handle to {@link #leave} when the park returns.
     */
    public static int enter(Object lock) {
        try {
            long n = fraction;
            if (n <= 0 || lock == null) return 0;
            if (n > 1 && ThreadLocalRandom.current().nextLong(n) != 0) return 0;
            if (!isLockBlocker(lock)) return 0;
            for (int i = 0; i < SLOTS; i++) {
                if (LOCKS.get(i) == null && LOCKS.compareAndSet(i, null, lock)) {
                    WEIGHT.set(i, n);
                    TRACKED.incrementAndGet();
                    SINCE.set(i, System.nanoTime());
                    if (i >= HIGH_WATER.get()) raiseHighWater(i + 1);
                    return i + 1;
                }
            }
            DROPPED.incrementAndGet();
            return 0;
        } catch (Throwable e) {
            // woven into a JDK method: nothing reaches the application (see dev.diag.instrument.HookWeaver)
            return 0;
        }
    }

    /** Loads and links what the first sampled park runs, so that its waiter does not pay for it (agent start-up). */
    public static void warmUp() {
        isLockBlocker(new java.util.concurrent.locks.ReentrantLock());
        isLockBlocker(new Object());
    }

    /** Returns whether a park's blocker is a held lock (the rule in the class doc); false when asked re-entrantly. */
    private static boolean isLockBlocker(Object blocker) {
        if (!CallDepth.enter()) { // computing a class's answer loaded a class that parked: not the app's wait
            CallDepth.exit();
            return false;
        }
        try {
            return HELD_LOCK.get(blocker.getClass());
        } finally {
            CallDepth.exit();
        }
    }

    /**
     * Returns whether parks with a blocker of this class wait for a lock someone holds: a {@link StampedLock}, or a
     * class that itself, or through a class enclosing it, implements {@link Lock} or {@link ReadWriteLock}.
     */
    static boolean isHeldLock(Class<?> blockerClass) {
        if (StampedLock.class.isAssignableFrom(blockerClass)) return true;
        for (Class<?> c = blockerClass; c != null; c = c.getEnclosingClass()) {
            if (Lock.class.isAssignableFrom(c) || ReadWriteLock.class.isAssignableFrom(c)) return true;
        }
        return false;
    }

    private static void raiseHighWater(int h) {
        // Rare (a new highest slot is first used) but on a parking thread: a CAS loop, never a lock.
        for (int cur = HIGH_WATER.get(); h > cur && !HIGH_WATER.compareAndSet(cur, h); cur = HIGH_WATER.get()) {
            Thread.onSpinWait();
        }
    }

    /** Frees the slot {@link #enter} returned. */
    static void leave(int handle) {
        int i = handle - 1;
        SINCE.set(i, NOT_READY);
        TRACKED.decrementAndGet();
        LOCKS.set(i, null);
    }

    /**
     * Called as {@code lock} is released: charges every tracked waiter of {@code lock} and, when any was charged,
     * records the delay at the releasing thread's stack. One volatile read when no waiter is tracked. Never throws.
     */
    public static void onRelease(Object lock) {
        try {
            if (TRACKED.get() == 0) return;
            long now = System.nanoTime();
            long delay = 0;
            long count = 0;
            int h = HIGH_WATER.get();
            for (int i = 0; i < h; i++) {
                if (LOCKS.get(i) != lock) continue;
                long since = SINCE.get(i);
                if (since == NOT_READY || now <= since || !SINCE.compareAndSet(i, since, now)) continue;
                long w = WEIGHT.get(i);
                delay += (now - since) * w;
                count += w;
            }
            if (count == 0) return;
            record(now, delay, count, lock);
        } catch (Throwable e) {
            // woven into a JDK method: nothing reaches the application (see dev.diag.instrument.HookWeaver)
        }
    }

    private static void record(long now, long delay, long count, Object lock) {
        if (!CallDepth.enter()) {
            CallDepth.exit();
            return;
        }
        try {
            int stackId = StackCapture.WAIT_SITE.captureId();
            // The releasing thread's labels, as its stack: the mutex profile charges the holder's code.
            EventRing.SHARED.offer(RecordType.MUTEX, stackId, Thread.currentThread().getId(), now, delay,
                    System.identityHashCode(lock), count, 0, ParkHook.labels());
        } catch (Throwable ignored) {
            // A hook never throws into a lock's release.
        } finally {
            CallDepth.exit();
        }
    }

    /** Returns how many sampled waits were not tracked because every slot was taken. */
    public static long dropped() {
        return DROPPED.get();
    }

    /** Returns how many waiters are tracked right now. */
    public static int tracked() {
        return TRACKED.get();
    }
}
