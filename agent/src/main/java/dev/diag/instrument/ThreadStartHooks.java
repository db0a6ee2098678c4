package dev.diag.instrument;

import dev.diag.hook.ThreadCreateHook;
import dev.diag.stack.StackCapture;

import java.util.Set;

/**
 * Hooks {@code java.lang.Thread}'s two entries to its native start for the threadcreate profile:
 * {@code start()}, which {@code new Thread(...).start()} and the {@code Thread.ofPlatform()} builders (JDK 21+) call,
 * and the package-private {@code start(ThreadContainer)} (JDK 19+), which thread-per-task executors
 * ({@code Executors.newThreadPerTaskExecutor}) and {@code StructuredTaskScope} reach through
 * {@code JavaLangAccess.start}. Each calls {@code start0()} itself and neither calls the other (JDK 21 and 25
 * source), so hooking both counts every thread once; on JDK 17 only {@code start()} exists. Only {@code Thread}'s own
 * methods are hooked: {@code VirtualThread} overrides both and is not an OS thread, so Go would not count it.
 *
 * <p>The call goes before each return only: a start that throws (already started, executor shut down) has created no
 * thread.
 */
final class ThreadStartHooks implements HookedApi {
    static final String THREAD = "java/lang/Thread";

    @Override
    public Set<String> classNames() {
        return Set.of(THREAD);
    }

    @Override
    public Injection injectionFor(MethodFacts m) {
        if (m.isStatic() || !m.name.equals("start")) return null;
        return m.descriptor.equals("()V") || m.descriptor.equals("(Ljdk/internal/vm/ThreadContainer;)V") ? ON_RETURN : null;
    }

    private static final Injection ON_RETURN = new Injection() {
        @Override
        void onExit(InjectedCode code) {
            code.loadThis();
            code.callHook("dev/diag/hook/ThreadCreateHook", "onStart", "(Ljava/lang/Thread;)V");
        }
    };

    @Override
    public void preload() {
        ThreadCreateHook.isEnabled();
        StackCapture.THREAD_START.captureId();
    }
}
