package dev.diag.instrument;

import dev.diag.hook.TraceHook;

import java.util.Set;

/**
 * Hooks {@code LockSupport.unpark(Thread)} for the trace's wake-up arrows: every j.u.c. lock release, condition
 * signal and queue hand-off that wakes a parked thread goes through it, so the unparking thread is the waker.
 * Costs one volatile read while no trace records.
 */
final class UnparkHooks implements HookedApi {
    @Override
    public Set<String> classNames() {
        return Set.of(ParkHooks.LOCK_SUPPORT);
    }

    @Override
    public Injection injectionFor(MethodFacts m) {
        return m.name.equals("unpark") && m.descriptor.equals("(Ljava/lang/Thread;)V") ? ON_ENTER : null;
    }

    private static final Injection ON_ENTER = new Injection() {
        @Override
        void onEnter(InjectedCode code) {
            code.loadArgument(0);
            code.callHook("dev/diag/hook/TraceHook", "unpark", "(Ljava/lang/Thread;)V");
        }
    };

    @Override
    public void preload() {
        TraceHook.unpark(null);
    }
}
