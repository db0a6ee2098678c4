package dev.diag.instrument;

import dev.diag.hook.LabelHook;
import dev.diag.hook.ThreadCreateHook;
import dev.diag.stack.StackCapture;

import java.util.Set;

/**
 * Hooks a thread's start. Before it, the starting thread's labels are set aside for the new thread, which takes them
 * as its {@code Thread.run()} begins ({@link LabelHook#onStarting}, {@link LabelHook#onRunning}: Go's goroutines
 * inherit their creator's labels). After it, the start is counted for the threadcreate profile. Both go on
 * {@code java.lang.Thread}'s two entries to its native start:
 * {@code start()}, which {@code new Thread(...).start()} and the {@code Thread.ofPlatform()} builders (JDK 21+) call,
 * and the package-private {@code start(ThreadContainer)} (JDK 19+), which thread-per-task executors
 * ({@code Executors.newThreadPerTaskExecutor}) and {@code StructuredTaskScope} reach through
 * {@code JavaLangAccess.start}. Each calls {@code start0()} itself and neither calls the other (JDK 21 and 25
 * source), so hooking both counts every thread once; on JDK 17 only {@code start()} exists. {@code VirtualThread}
 * (JDK 21+) overrides both and runs its task from its private {@code run(Runnable)}, not {@code Thread.run()}: its
 * {@code start(ThreadContainer)}, which {@code start()} calls, and that {@code run} pass labels on the same way, but
 * it is not counted: it is not an OS thread, as a goroutine is none.
 *
 * <p>The count goes before each return only: a start that throws (already started, executor shut down) has created no
 * thread. Labels set aside for a thread whose start then fails stay in a bounded map (LabelHook.MAX_THREADS).
 */
final class ThreadStartHooks implements HookedApi {
    static final String THREAD = "java/lang/Thread";
    private static final String VIRTUAL_THREAD = "java/lang/VirtualThread";
    private static final String START_IN_CONTAINER = "(Ljdk/internal/vm/ThreadContainer;)V";

    @Override
    public Set<String> classNames() {
        return Set.of(THREAD, VIRTUAL_THREAD);
    }

    @Override
    public Injection injectionFor(MethodFacts m) {
        if (m.isStatic()) return null;
        if (m.owner.internalName.equals(VIRTUAL_THREAD)) {
            if (m.name.equals("start") && m.descriptor.equals(START_IN_CONTAINER)) return ON_VIRTUAL_START;
            return m.name.equals("run") && m.descriptor.equals("(Ljava/lang/Runnable;)V") ? ON_RUN : null;
        }
        if (m.name.equals("run") && m.descriptor.equals("()V")) return ON_RUN;
        if (!m.name.equals("start")) return null;
        return m.descriptor.equals("()V") || m.descriptor.equals(START_IN_CONTAINER) ? ON_START : null;
    }

    private static final Injection ON_VIRTUAL_START = new Injection() {
        @Override
        void onEnter(InjectedCode code) {
            code.loadThis();
            code.callHook("dev/diag/hook/LabelHook", "onStarting", "(Ljava/lang/Thread;)V");
        }
    };

    private static final Injection ON_START = new Injection() {
        @Override
        void onEnter(InjectedCode code) {
            code.loadThis();
            code.callHook("dev/diag/hook/LabelHook", "onStarting", "(Ljava/lang/Thread;)V");
        }

        @Override
        void onExit(InjectedCode code) {
            code.loadThis();
            code.callHook("dev/diag/hook/ThreadCreateHook", "onStart", "(Ljava/lang/Thread;)V");
        }
    };

    /** At a {@code run()} entry: the thread takes the labels its starter set aside for it. */
    static final Injection ON_RUN = new Injection() {
        @Override
        void onEnter(InjectedCode code) {
            code.loadThis();
            code.callHook("dev/diag/hook/LabelHook", "onRunning", "(Ljava/lang/Object;)V");
        }
    };

    @Override
    public void preload() {
        ThreadCreateHook.isEnabled();
        StackCapture.THREAD_START.captureId();
        LabelHook.onRunning(Thread.currentThread()); // loads the label hook's classes now, not inside a thread's start
    }
}
