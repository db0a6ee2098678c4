package dev.diag.instrument;

import dev.diag.hook.MutexWaiters;
import dev.diag.hook.ParkHook;
import dev.diag.stack.StackCapture;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

import static net.bytebuddy.matcher.ElementMatchers.isStatic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * Hooks {@code LockSupport.park*}, where every {@code java.util.concurrent} wait ends up (locks, conditions, latches,
 * semaphores, barriers, phasers, blocking and synchronous queues, futures), on platform and virtual threads alike:
 * the block profile times each park and the mutex profile registers waiters by blocker.
 *
 * <p>Only {@code LockSupport} is advised, never the virtual-thread mount/unmount code below it: a virtual thread's
 * park unmounts it inside the advised method, and exit advice runs after it is mounted again, on whatever carrier.
 */
public final class ParkInstrumentation implements TypeInstrumentation {
    private static final String LOCK_SUPPORT = "java.util.concurrent.locks.LockSupport";

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return named(LOCK_SUPPORT);
    }

    @Override
    public NewClassFilter newClassFilter() {
        return NewClassFilter.named(LOCK_SUPPORT);
    }

    @Override
    public AgentBuilder.Transformer transformer() {
        return (builder, type, loader, module, domain) -> builder
                .visit(Advice.to(BlockerParkAdvice.class).on(isStatic().and(nameStartsWith("park"))
                        .and(takesArgument(0, Object.class))))
                .visit(Advice.to(ParkAdvice.class).on(isStatic().and(nameStartsWith("park"))
                        .and(takesArguments(0).or(takesArguments(1).and(takesArgument(0, long.class))))));
    }

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

    /** Inlined into {@code park(Object)}, {@code parkNanos(Object, long)}, {@code parkUntil(Object, long)}. */
    public static class BlockerParkAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static long enter(@Advice.Argument(0) Object blocker, @Advice.Local("diagSlot") int slot) {
            slot = MutexWaiters.enter(blocker);
            return ParkHook.enter();
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        public static void exit(@Advice.Enter long start, @Advice.Local("diagSlot") int slot,
                                @Advice.Argument(0) Object blocker) {
            ParkHook.exit(start, slot, blocker);
        }
    }

    /** Inlined into {@code park()}, {@code parkNanos(long)}, {@code parkUntil(long)}: no blocker, no mutex. */
    public static class ParkAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static long enter() {
            return ParkHook.enter();
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        public static void exit(@Advice.Enter long start) {
            ParkHook.exit(start, 0, null);
        }
    }
}
