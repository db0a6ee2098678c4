package dev.diag.instrument;

import dev.diag.hook.TraceHook;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.Opcodes;

import java.lang.reflect.Modifier;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * Carries the submitting thread's profile labels and trace task into {@code java.util.concurrent} executors, as
 * OpenTelemetry's executor instrumentation carries its context: when the thread has labels, or a task while a trace
 * records, the task argument of every JDK executor's {@code execute(Runnable)}, {@code submit(Runnable|Callable)} and
 * {@code schedule*(Runnable|Callable)} is wrapped ({@code ThreadPoolExecutor}, {@code ScheduledThreadPoolExecutor},
 * {@code ForkJoinPool}, the {@code Executors} wrappers, {@code CompletableFuture}'s default executors,
 * virtual-thread-per-task executors). The thread that runs it gets its own labels back when the task ends.
 *
 * <p>Both are needed: {@code AbstractExecutorService.submit} and {@code invokeAll/Any} end in {@code execute}, but
 * {@code ForkJoinPool.submit}, {@code ScheduledThreadPoolExecutor.schedule} and {@code ThreadPerTaskExecutor.submit}
 * queue the task themselves. A task already wrapped is not wrapped again. Not carried: a {@code ForkJoinTask} handed
 * to {@code ForkJoinPool.submit/invoke/execute(ForkJoinTask)} or forked (its type cannot be wrapped without changing
 * what the caller joins), {@code ForkJoinPool.invokeAll}, and new threads ({@code Thread.start}): a Go context is not
 * carried into a new goroutine unless passed (Go's labels are, which diag does not do yet).
 *
 * <p>Which classes: the concrete classes of {@code java.util.concurrent} with {@code Executor} among their super
 * types. A class file names only its direct super types, and the JVM hands a class to the transformer before it
 * loads that class's super types; so the executor types that other executor types extend are known from the start
 * ({@link #EXTENDED_EXECUTOR_TYPES}, the same on JDK 17 to 25: a test checks it against the running JDK's classes),
 * and every executor type seen is added to them.
 */
final class ExecutorHooks implements HookedApi {
    private static final String PACKAGE = "java/util/concurrent/";
    /** The executor types of java.util.concurrent that other executor types there extend or implement. */
    static final Set<String> EXTENDED_EXECUTOR_TYPES = Set.of("java/util/concurrent/Executor",
            "java/util/concurrent/ExecutorService", "java/util/concurrent/ScheduledExecutorService",
            "java/util/concurrent/AbstractExecutorService", "java/util/concurrent/ThreadPoolExecutor",
            "java/util/concurrent/Executors$DelegatedExecutorService");
    private static final String TRACE_HOOK = "dev/diag/hook/TraceHook";

    private final Set<String> executorTypes = ConcurrentHashMap.newKeySet();

    ExecutorHooks() {
        executorTypes.addAll(EXTENDED_EXECUTOR_TYPES);
    }

    @Override
    public boolean hooksClass(String internalName, ClassLoader loader, Class<?> classBeingRedefined,
                              byte[] classFile) {
        if (!internalName.startsWith(PACKAGE)) return false;
        if (classBeingRedefined != null) return hooksLoadedClass(classBeingRedefined);
        ClassReader header = new ClassReader(classFile);
        boolean executor = executorTypes.contains(header.getSuperName());
        for (String i : header.getInterfaces()) executor |= executorTypes.contains(i);
        if (!executor) return false;
        executorTypes.add(internalName);
        return (header.getAccess() & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_INTERFACE)) == 0;
    }

    @Override
    public boolean hooksLoadedClass(Class<?> type) {
        return isJdkExecutorType(type) && !type.isInterface() && !Modifier.isAbstract(type.getModifiers());
    }

    /** Remembers the executor types already loaded (abstract ones too), for the subclasses defined later. */
    void learnLoaded(Class<?> type) {
        if (isJdkExecutorType(type)) executorTypes.add(type.getName().replace('.', '/'));
    }

    /** The cheap tests first: most loaded classes are no executor, and a first getName() builds a string. */
    private static boolean isJdkExecutorType(Class<?> type) {
        return Executor.class.isAssignableFrom(type) && type.getClassLoader() == null
                && type.getName().startsWith("java.util.concurrent.");
    }

    @Override
    public Injection injectionFor(MethodFacts m) {
        String d = m.descriptor;
        switch (m.name) {
            case "execute":
                return d.startsWith("(Ljava/lang/Runnable;)") ? EXECUTE : null;
            case "submit":
            case "schedule":
                if (d.startsWith("(Ljava/util/concurrent/Callable;")) return SUBMIT_CALLABLE;
                return d.startsWith("(Ljava/lang/Runnable;") ? SUBMIT_RUNNABLE : null;
            case "scheduleAtFixedRate":
            case "scheduleWithFixedDelay":
                return d.startsWith("(Ljava/lang/Runnable;") ? SUBMIT_RUNNABLE : null;
            default:
                return null;
        }
    }

    /** Replaces the first argument with what {@code TraceHook.<hook>} returns for it. */
    private static final class WrapFirstArgument extends Injection {
        private final String hook;
        private final String descriptor;

        WrapFirstArgument(String hook, String descriptor) {
            this.hook = hook;
            this.descriptor = descriptor;
        }

        @Override
        void onEnter(InjectedCode code) {
            code.loadArgument(0);
            code.callHook(TRACE_HOOK, hook, descriptor);
            code.storeArgument(0);
        }
    }

    /** {@code execute(Runnable)}. */
    private static final Injection EXECUTE = new WrapFirstArgument("wrap", "(Ljava/lang/Runnable;)Ljava/lang/Runnable;");
    /** {@code submit(Runnable…)} and {@code schedule*(Runnable…)}. */
    private static final Injection SUBMIT_RUNNABLE =
            new WrapFirstArgument("wrapSubmitted", "(Ljava/lang/Runnable;)Ljava/lang/Runnable;");
    /** {@code submit(Callable)} and {@code schedule(Callable…)}. */
    private static final Injection SUBMIT_CALLABLE = new WrapFirstArgument("wrapCallable",
            "(Ljava/util/concurrent/Callable;)Ljava/util/concurrent/Callable;");

    @Override
    public void preload() {
        TraceHook.wrap(null);
        TraceHook.wrapSubmitted(null);
        TraceHook.wrapCallable(null);
    }
}
