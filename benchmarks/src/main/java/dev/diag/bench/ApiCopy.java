package dev.diag.bench;

/**
 * In a benchmark JVM without the agent, {@code dev.diag.api} is the class path's copy, which calls no hook until diag
 * links it (as diag does when attached; with {@code -javaagent} the bootstrap copy is linked from the start).
 */
public final class ApiCopy {
    private ApiCopy() {}

    /** Links the class path's API copy to the hooks, the way diag does on attach. */
    public static void link() throws ReflectiveOperationException {
        java.lang.reflect.Field linked = Class.forName("dev.diag.api.HookLink").getDeclaredField("linked");
        linked.setAccessible(true);
        linked.setBoolean(null, true);
    }
}
