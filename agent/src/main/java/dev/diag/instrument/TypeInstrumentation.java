package dev.diag.instrument;

import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;


import static net.bytebuddy.matcher.ElementMatchers.any;

/**
 * One hooked API: which types it matches and the advice it weaves into them. Advice classes are nested
 * {@code public static class XxxAdvice} whose static methods make one call into {@code dev.diag.hook}.
 */
public interface TypeInstrumentation {
    /** Returns the types to transform; prefer {@code named(...)}: it is the cheapest matcher. */
    ElementMatcher<TypeDescription> typeMatcher();

    /**
     * Returns the class loaders whose types {@link #typeMatcher()} is asked about; checked first, as it costs nothing,
     * while a matcher that reads annotations or the hierarchy parses the class and resolves the types it names.
     */
    default ElementMatcher<ClassLoader> classLoaderMatcher() {
        return any();
    }

    /** Returns the transformer that adds the advice. */
    AgentBuilder.Transformer transformer();

    /**
     * Returns which classes being defined for the first time can be ones {@link #typeMatcher()} matches, judged from
     * name, loader and bytes alone; the others never reach Byte Buddy ({@link NewClassGate}). Override it: the default
     * passes every class, and so makes every class load pay for Byte Buddy.
     */
    default NewClassFilter newClassFilter() {
        return NewClassFilter.ANY;
    }

    /** Loads, before the transformer is installed, every class the advice calls (no ClassCircularityError later). */
    default void preload() {}
}
