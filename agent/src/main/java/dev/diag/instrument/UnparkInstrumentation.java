package dev.diag.instrument;

import dev.diag.hook.TraceHook;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * Hooks {@code LockSupport.unpark(Thread)} for the trace's wake-up arrows: every j.u.c. lock release, condition
 * signal and queue hand-off that wakes a parked thread goes through it, so the unparking thread is the waker.
 * Costs one volatile read while no trace records.
 */
public final class UnparkInstrumentation implements TypeInstrumentation {
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
        return (builder, type, loader, module, domain) -> builder.visit(Advice.to(UnparkAdvice.class)
                .on(named("unpark").and(takesArguments(Thread.class))));
    }

    @Override
    public void preload() {
        TraceHook.unpark(null);
    }

    /** Inlined into {@code LockSupport.unpark}. */
    public static class UnparkAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.Argument(0) Thread target) {
            TraceHook.unpark(target);
        }
    }
}
