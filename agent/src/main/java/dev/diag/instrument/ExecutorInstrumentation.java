package dev.diag.instrument;

import dev.diag.hook.TraceHook;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

import static net.bytebuddy.matcher.ElementMatchers.hasSuperType;
import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * Carries the submitting thread's trace task into {@code java.util.concurrent} executors, as OpenTelemetry's executor
 * instrumentation carries its context: while a trace records and the thread has a task, the task argument of every
 * JDK executor's {@code execute(Runnable)}, {@code submit(Runnable|Callable)} and {@code schedule*(Runnable|Callable)}
 * is wrapped ({@code ThreadPoolExecutor}, {@code ScheduledThreadPoolExecutor}, {@code ForkJoinPool}, the
 * {@code Executors} wrappers, {@code CompletableFuture}'s default executors, virtual-thread-per-task executors).
 *
 * <p>Both are needed: {@code AbstractExecutorService.submit} and {@code invokeAll/Any} end in {@code execute}, but
 * {@code ForkJoinPool.submit}, {@code ScheduledThreadPoolExecutor.schedule} and {@code ThreadPerTaskExecutor.submit}
 * queue the task themselves. A task already wrapped is not wrapped again. Not carried: a {@code ForkJoinTask} handed
 * to {@code ForkJoinPool.submit/invoke/execute(ForkJoinTask)} or forked (its type cannot be wrapped without changing
 * what the caller joins), {@code ForkJoinPool.invokeAll}, and new threads ({@code Thread.start}), as a Go context is not
 * carried into a new goroutine unless passed.
 */
public final class ExecutorInstrumentation implements TypeInstrumentation {
    private static final String PACKAGE = "java.util.concurrent.";

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        // The name pre-check keeps the hierarchy walk off every application class.
        return nameStartsWith(PACKAGE).and(not(isAbstract()))
                .and(hasSuperType(named("java.util.concurrent.Executor")));
    }

    @Override
    public NewClassFilter newClassFilter() {
        return NewClassFilter.nameStartsWith(PACKAGE);
    }

    @Override
    public AgentBuilder.Transformer transformer() {
        return (builder, type, loader, module, domain) -> builder
                .visit(Advice.to(ExecuteAdvice.class).on(named("execute").and(takesArguments(1))
                        .and(takesArgument(0, Runnable.class)).and(not(isAbstract()))))
                .visit(Advice.to(SubmitRunnableAdvice.class).on(namedOneOf("submit", "schedule", "scheduleAtFixedRate",
                        "scheduleWithFixedDelay").and(takesArgument(0, Runnable.class)).and(not(isAbstract()))))
                .visit(Advice.to(SubmitCallableAdvice.class).on(namedOneOf("submit", "schedule")
                        .and(takesArgument(0, java.util.concurrent.Callable.class)).and(not(isAbstract()))));
    }

    /**
     * Loads the executors before the transformer is installed: a JDK class first loaded while Byte Buddy is busy on
     * this thread (JDK 25 loads {@code ForkJoinPool} during installation) is skipped by its circularity guard and
     * never transformed; one loaded before is retransformed with the rest.
     */
    @Override
    public void preload() {
        TraceHook.wrap(null);
        TraceHook.wrapSubmitted(null);
        TraceHook.wrapCallable(null);
        for (String name : new String[] {"java.util.concurrent.ForkJoinPool", "java.util.concurrent.ThreadPoolExecutor",
                "java.util.concurrent.ScheduledThreadPoolExecutor", "java.util.concurrent.CompletableFuture",
                "java.util.concurrent.CompletableFuture$ThreadPerTaskExecutor",
                "java.util.concurrent.ThreadPerTaskExecutor"}) {
            try {
                Class.forName(name, false, null);
            } catch (ClassNotFoundException | LinkageError absentOnThisJdk) {
                // Not every JDK has every executor.
            }
        }
    }

    /** Inlined into {@code execute(Runnable)}: replaces the argument with a task-carrying wrapper when tracing. */
    public static class ExecuteAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.Argument(value = 0, readOnly = false) Runnable task) {
            task = TraceHook.wrap(task);
        }
    }

    /** Inlined into {@code submit(Runnable…)} and {@code schedule*(Runnable…)}: wraps the task when tracing. */
    public static class SubmitRunnableAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.Argument(value = 0, readOnly = false) Runnable task) {
            task = TraceHook.wrapSubmitted(task);
        }
    }

    /** Inlined into {@code submit(Callable)} and {@code schedule(Callable…)}: wraps the task when tracing. */
    public static class SubmitCallableAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.Argument(value = 0, readOnly = false) java.util.concurrent.Callable<?> task) {
            task = TraceHook.wrapCallable(task);
        }
    }
}
