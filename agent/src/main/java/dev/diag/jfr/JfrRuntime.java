package dev.diag.jfr;

import java.util.Optional;

/**
 * Says whether this JVM can run JFR, without touching any {@code jdk.jfr} class (a jlinked runtime may lack the
 * module, and loading a class that names its types would fail).
 */
public final class JfrRuntime {
    private JfrRuntime() {}

    /** Returns why JFR cannot be used here, or empty when the {@code jdk.jfr} module is present. */
    public static Optional<String> unavailableReason() {
        if (ModuleLayer.boot().findModule("jdk.jfr").isEmpty()) {
            return Optional.of("this Java runtime has no jdk.jfr module");
        }
        return Optional.empty();
    }
}
