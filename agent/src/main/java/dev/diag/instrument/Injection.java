package dev.diag.instrument;

import net.bytebuddy.jar.asm.Type;

/**
 * The code one hooked method gets: calls on entry, before every return, and, when {@link #exitOnThrow()}, in a
 * catch-all handler around the whole original body that then rethrows. The calls are static calls into
 * {@code dev.diag.hook}, whose methods never throw (each catches everything itself): so the woven code needs no
 * handler of its own around them, and a hook failure never reaches the application.
 *
 * <p>Subclasses are plain classes, not lambdas: they run inside class loading, where linking a lambda could load
 * {@code java.lang.invoke} classes re-entrantly.
 */
abstract class Injection {
    private static final Type[] NONE = new Type[0];
    private static final int[] NO_ARGS = new int[0];

    /**
     * Returns the types of the locals the injected code keeps from entry to exit (a park's start time); the weaver
     * allocates them right after the parameters and moves the method's own locals up.
     */
    Type[] locals() {
        return NONE;
    }

    /** Emits the code run before the original body. */
    void onEnter(InjectedCode code) {}

    /** Emits the code run before each return, and on the throw path when {@link #exitOnThrow()}. */
    void onExit(InjectedCode code) {}

    /**
     * Emits the code of the throw path, when {@link #exitOnThrow()}: the thrown {@code Throwable} is on the stack and
     * must be left there, for the rethrow. By default the same as {@link #onExit}.
     */
    void onExitThrowing(InjectedCode code) {
        onExit(code);
    }

    /** Returns whether {@link #onExit} also runs when the body throws (Byte Buddy's {@code onThrowable}). */
    boolean exitOnThrow() {
        return false;
    }

    /**
     * Returns the arguments {@link #onExit} reads: on the throw path the handler's stack map frame declares them with
     * their types and every other parameter as unknown, so a body that reuses a parameter's slot still verifies.
     */
    int[] argumentsReadOnExit() {
        return NO_ARGS;
    }
}
