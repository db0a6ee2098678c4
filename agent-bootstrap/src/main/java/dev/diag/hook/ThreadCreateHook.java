package dev.diag.hook;

import dev.diag.stack.StackCapture;
import dev.diag.stack.StackKey;
import dev.diag.stack.StackTable;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts platform-thread creations by the stack that started them: Go's threadcreate profile.
 *
 * <p>Called from advice on the two ways into {@code java.lang.Thread}'s native start: {@code start()} and, on JDK 19+,
 * the package-private {@code start(ThreadContainer)} of thread-per-task executors and structured scopes (neither
 * calls the other, so a thread is counted once). Virtual threads are goroutines, and Go's threadcreate counts OS
 * threads: they are not counted, whether they start through {@code VirtualThread}'s own {@code start} overrides or,
 * bound to an OS thread when the JVM runs without continuations ({@code -XX:-VMContinuations}), through
 * {@code Thread}'s. Starting a platform thread costs tens of microseconds, so capturing a stack and updating a
 * concurrent map here is small beside it; distinct stacks are bounded, and creations past the bound are counted,
 * not lost.
 */
public final class ThreadCreateHook {
    /** Most distinct creation stacks kept; later new stacks count into {@link #overflow()}. */
    public static final int MAX_STACKS = 4096;

    /** {@code Thread.isVirtual()} (JDK 19+); null on a JDK without virtual threads. */
    private static final MethodHandle IS_VIRTUAL = isVirtualHandle();

    private static volatile boolean enabled;
    private static final Map<StackKey, AtomicLong> COUNTS = new ConcurrentHashMap<>();
    private static final AtomicLong OVERFLOW = new AtomicLong();

    private ThreadCreateHook() {}

    public static void setEnabled(boolean on) { enabled = on; }

    public static boolean isEnabled() { return enabled; }

    /** Records that the current thread has started {@code thread}, unless it is virtual. Never throws. */
    public static void onStart(Thread thread) {
        try {
            if (!enabled || isVirtual(thread)) return;
            if (!CallDepth.enter()) {
                CallDepth.exit();
                return;
            }
            try {
                StackKey key = StackTable.SHARED.stack(StackCapture.THREAD_START.captureId());
                if (key == null) return;
                AtomicLong count = COUNTS.get(key);
                if (count == null) {
                    if (COUNTS.size() >= MAX_STACKS) {
                        OVERFLOW.incrementAndGet();
                        return;
                    }
                    count = COUNTS.computeIfAbsent(key, k -> new AtomicLong());
                }
                count.incrementAndGet();
            } catch (Throwable ignored) {
                // A hook never throws into Thread.start.
            } finally {
                CallDepth.exit();
            }
        } catch (Throwable e) {
            // woven into a JDK method: nothing reaches the application (see dev.diag.instrument.HookWeaver)
        }
    }

    private static boolean isVirtual(Thread thread) {
        if (IS_VIRTUAL == null) return false;
        try {
            return (boolean) IS_VIRTUAL.invokeExact(thread);
        } catch (Throwable e) {
            return false;
        }
    }

    private static MethodHandle isVirtualHandle() {
        try {
            return MethodHandles.publicLookup().findVirtual(Thread.class, "isVirtual",
                    MethodType.methodType(boolean.class));
        } catch (ReflectiveOperationException e) {
            return null; // JDK 17, 18: every thread is a platform thread
        }
    }

    /** Returns a copy of creation counts by stack. */
    public static Map<StackKey, Long> snapshot() {
        Map<StackKey, Long> out = new java.util.HashMap<>();
        COUNTS.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    /** Returns how many creations were not attributed because {@link #MAX_STACKS} was reached. */
    public static long overflow() { return OVERFLOW.get(); }
}
