package dev.diag.instrument;

import java.util.Set;

/**
 * One hooked API: which classes it hooks, and what each of their methods gets ({@link Injection}). Most name their
 * classes ({@link #classNames()}), found by one map lookup per class load; the others decide from a class file
 * ({@link #hooksClass}) and are asked only after that lookup missed.
 */
interface HookedApi {
    /** Returns the internal names ({@code java/lang/Thread}) of the classes it hooks; empty when it decides by file. */
    default Set<String> classNames() {
        return Set.of();
    }

    /**
     * Returns whether it hooks this class, for an API without {@link #classNames()}: {@code classBeingRedefined} is
     * null while the class is first defined and set when it is retransformed. Runs inside class loading, on any
     * thread: no class loading of its own, no lambdas.
     */
    default boolean hooksClass(String internalName, ClassLoader loader, Class<?> classBeingRedefined,
                               byte[] classFile) {
        return false;
    }

    /**
     * Returns whether a class loaded before the hooks were installed must be retransformed, for an API without
     * {@link #classNames()} (a named class is found by its name).
     */
    default boolean hooksLoadedClass(Class<?> type) {
        return false;
    }

    /** Returns whether {@link #injectionFor} needs the method's annotations (then it is asked at the method's code). */
    default boolean readsAnnotations() {
        return false;
    }

    /** Returns the code a concrete method of a hooked class gets, or null to leave it alone. */
    Injection injectionFor(MethodFacts method);

    /** Loads and links every hook the injections call, before the transformer is installed. */
    void preload();
}
