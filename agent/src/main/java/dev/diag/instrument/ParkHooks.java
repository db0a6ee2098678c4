package dev.diag.instrument;

import dev.diag.hook.MutexWaiters;
import dev.diag.hook.ParkHook;
import dev.diag.stack.StackCapture;
import net.bytebuddy.jar.asm.Type;

import java.util.Set;

/**
 * Hooks {@code LockSupport.park*}, where every {@code java.util.concurrent} wait ends up (locks, conditions, latches,
 * semaphores, barriers, phasers, blocking and synchronous queues, futures), on platform and virtual threads alike:
 * the block profile times each park and the mutex profile registers waiters by blocker.
 *
 * <p>Only {@code LockSupport} is timed, never the virtual-thread mount/unmount code below it (hooked for labels
 * only, {@link VirtualThreadMountHooks}): a virtual thread's park unmounts it inside the hooked method, and the exit
 * call runs after it is mounted again, on whatever carrier.
 * The exit runs on return and on throw, so a slot taken on entry is always given back.
 */
final class ParkHooks implements HookedApi {
    static final String LOCK_SUPPORT = "java/util/concurrent/locks/LockSupport";
    private static final String PARK_HOOK = "dev/diag/hook/ParkHook";

    @Override
    public Set<String> classNames() {
        return Set.of(LOCK_SUPPORT);
    }

    @Override
    public Injection injectionFor(MethodFacts m) {
        if (!m.isStatic() || !m.name.startsWith("park")) return null;
        if (m.descriptor.startsWith("(Ljava/lang/Object;")) return BLOCKER_PARK; // park, parkNanos, parkUntil(Object...)
        if (m.descriptor.equals("()V") || m.descriptor.equals("(J)V")) return PARK; // park(), parkNanos/Until(long)
        return null;
    }

    /** {@code park(Object)}, {@code parkNanos(Object, long)}, {@code parkUntil(Object, long)}. */
    private static final Injection BLOCKER_PARK = new Injection() {
        private static final int START = 0;
        private static final int SLOT = 1;

        @Override
        Type[] locals() {
            return new Type[] {Type.LONG_TYPE, Type.INT_TYPE};
        }

        @Override
        void onEnter(InjectedCode code) {
            code.loadArgument(0);
            code.callHook("dev/diag/hook/MutexWaiters", "enter", "(Ljava/lang/Object;)I");
            code.storeLocal(SLOT);
            code.callHook(PARK_HOOK, "enter", "()J");
            code.storeLocal(START);
        }

        @Override
        void onExit(InjectedCode code) {
            code.loadLocal(START);
            code.loadLocal(SLOT);
            code.loadArgument(0);
            code.callHook(PARK_HOOK, "exit", "(JILjava/lang/Object;)V");
        }

        @Override
        boolean exitOnThrow() {
            return true;
        }

        @Override
        int[] argumentsReadOnExit() {
            return new int[] {0};
        }
    };

    /** {@code park()}, {@code parkNanos(long)}, {@code parkUntil(long)}: no blocker, no mutex. */
    private static final Injection PARK = new Injection() {
        @Override
        Type[] locals() {
            return new Type[] {Type.LONG_TYPE};
        }

        @Override
        void onEnter(InjectedCode code) {
            code.callHook(PARK_HOOK, "enter", "()J");
            code.storeLocal(0);
        }

        @Override
        void onExit(InjectedCode code) {
            code.loadLocal(0);
            code.pushInt(0);
            code.pushNull();
            code.callHook(PARK_HOOK, "exit", "(JILjava/lang/Object;)V");
        }

        @Override
        boolean exitOnThrow() {
            return true;
        }
    };

    @Override
    public void preload() {
        ParkHook.enter();
        ParkHook.exit(0, 0, null);
        MutexWaiters.enter(null);
        MutexWaiters.onRelease(null);
        MutexWaiters.warmUp();
        StackCapture.WAIT_SITE.captureId(); // the whole miss path: the first app event must not load classes
        dev.diag.stack.StackTable.SHARED.size();
        dev.diag.ring.EventRing.SHARED.capacity();
    }
}
