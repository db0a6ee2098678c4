package dev.diag.api;

/**
 * Whether this copy of the API may call diag's hooks. The copy in the bootstrap loader (diag loaded with
 * {@code -javaagent}, or first touched after an attach) always may. The application's own copy, loaded from its class
 * path while no diag was in the JVM, must not even link them then: a hook class it linked would come from the
 * application's jar, a second copy that diag never reads, and a symbolic reference that failed to link fails for
 * good. When diag is attached later it sets {@link #linked} in that copy, and from then on the copy's calls resolve,
 * parent first, to the hooks diag put in the bootstrap loader.
 */
final class HookLink {
    /** Read on every API call while no hook may be called; set by diag (by reflection) when it is attached. */
    static volatile boolean linked = HookLink.class.getClassLoader() == null || hooksInBootstrapLoader();

    private HookLink() {}

    /** Does nothing: an API class calls it from its static initializer so that this class is loaded by its loader. */
    static void load() {}

    private static boolean hooksInBootstrapLoader() {
        try {
            Class.forName("dev.diag.hook.TraceHook", false, null);
            return true;
        } catch (Throwable e) {
            return false;
        }
    }
}
