package dev.diag.instrument;

import dev.diag.hook.ThreadCreateHook;
import dev.diag.stack.StackCapture;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

import static net.bytebuddy.matcher.ElementMatchers.isDeclaredBy;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * Hooks {@code java.lang.Thread}'s two entries to its native start for the threadcreate profile:
 * {@code start()}, which {@code new Thread(...).start()} and the {@code Thread.ofPlatform()} builders (JDK 21+) call,
 * and the package-private {@code start(ThreadContainer)} (JDK 19+), which thread-per-task executors
 * ({@code Executors.newThreadPerTaskExecutor}) and {@code StructuredTaskScope} reach through
 * {@code JavaLangAccess.start}. Each calls {@code start0()} itself and neither calls the other (JDK 21 and 25
 * source), so hooking both counts every thread once; on JDK 17 only {@code start()} exists. Only {@code Thread}'s own
 * methods are advised: {@code VirtualThread} overrides both and is not an OS thread, so Go would not count it.
 */
public final class ThreadStartInstrumentation implements TypeInstrumentation {
    private static final String THREAD = "java.lang.Thread";
    /** {@code start()} and {@code start(jdk.internal.vm.ThreadContainer)}, declared by {@code Thread} itself. */
    static final ElementMatcher<MethodDescription> STARTS = named("start")
            .and(isDeclaredBy(named(THREAD)))
            .and(takesArguments(0).or(takesArguments(1).and(takesArgument(0, named("jdk.internal.vm.ThreadContainer")))));

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return named(THREAD);
    }

    @Override
    public NewClassFilter newClassFilter() {
        return NewClassFilter.named(THREAD);
    }

    @Override
    public AgentBuilder.Transformer transformer() {
        return (builder, type, loader, module, domain) -> builder.visit(Advice.to(ThreadStartAdvice.class).on(STARTS));
    }

    @Override
    public void preload() {
        ThreadCreateHook.isEnabled();
        StackCapture.THREAD_START.captureId();
    }

    /**
     * Inlined into both start methods, on return only: a start that throws (already started, executor shut down) has
     * created no thread.
     */
    public static class ThreadStartAdvice {
        @Advice.OnMethodExit(suppress = Throwable.class)
        public static void exit(@Advice.This Thread thread) {
            ThreadCreateHook.onStart(thread);
        }
    }
}
