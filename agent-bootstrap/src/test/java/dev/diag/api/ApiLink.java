package dev.diag.api;

/**
 * Sets {@link HookLink#linked} for tests: here the API is the class path's copy, in a JVM without diag, so it starts
 * unlinked as an application's copy would; diag links it when attached.
 */
public final class ApiLink {
    private ApiLink() {}

    public static void set(boolean linked) {
        HookLink.linked = linked;
    }
}
