package dev.diag.instrument;

import dev.diag.hook.ThreadExitHook;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

import static net.bytebuddy.matcher.ElementMatchers.isDeclaredBy;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * Hooks {@code java.lang.Thread.exit()}, the private method the JVM calls on a platform thread before it ends (JDK 17
 * to 25; a virtual thread never runs it), so that the thread's final counters are read while they still can be
 * ({@link ThreadExitHook}).
 */
public final class ThreadExitInstrumentation implements TypeInstrumentation {
    private static final String THREAD = "java.lang.Thread";
    static final ElementMatcher<MethodDescription> EXIT = named("exit").and(takesArguments(0))
            .and(isDeclaredBy(named(THREAD)));

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
        return (builder, type, loader, module, domain) -> builder.visit(Advice.to(ThreadExitAdvice.class).on(EXIT));
    }

    @Override
    public void preload() {
        ThreadExitHook.hasListener();
        dev.diag.hook.LabelHook.dropped(); // onExit forgets the thread's labels: loaded now, not in a thread's exit
    }

    /** Inlined at the start of {@code Thread.exit()}: the thread is still fully alive there. */
    public static class ThreadExitAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter() {
            ThreadExitHook.onExit();
        }
    }
}
