package dev.diag.instrument;

import dev.diag.hook.ThreadExitHook;

import java.util.Set;

/**
 * Hooks {@code java.lang.Thread.exit()}, the private method the JVM calls on a platform thread before it ends (JDK 17
 * to 25; a virtual thread never runs it), so that the thread's final counters are read while they still can be
 * ({@link ThreadExitHook}). The call goes at the start of {@code exit()}: the thread is still fully alive there.
 */
final class ThreadExitHooks implements HookedApi {
    @Override
    public Set<String> classNames() {
        return Set.of(ThreadStartHooks.THREAD);
    }

    @Override
    public Injection injectionFor(MethodFacts m) {
        return !m.isStatic() && m.name.equals("exit") && m.descriptor.equals("()V") ? ON_ENTER : null;
    }

    private static final Injection ON_ENTER = new Injection() {
        @Override
        void onEnter(InjectedCode code) {
            code.callHook("dev/diag/hook/ThreadExitHook", "onExit", "()V");
        }
    };

    @Override
    public void preload() {
        ThreadExitHook.hasListener();
        dev.diag.hook.LabelHook.dropped(); // onExit forgets the thread's labels: loaded now, not in a thread's exit
    }
}
