package dev.diag.agent;

import dev.diag.base.Log;

import java.lang.instrument.Instrumentation;
import java.lang.reflect.Field;

/**
 * Connects each copy of {@code dev.diag.api} an application loaded from its own class path before diag was in the JVM
 * (diag attached later): its calls may reach the hooks now in the bootstrap loader ({@code dev.diag.api.HookLink}),
 * its custom profiles are served beside diag's own, and its
 * variables ({@code Vars}) on {@code /debug/vars}. Without it that copy would stay a no-op for the life of the
 * JVM. Runs on every agent load; linking twice changes nothing.
 */
final class ApplicationApiCopies {
    private ApplicationApiCopies() {}

    static void link(Instrumentation inst) {
        for (Class<?> c : inst.getAllLoadedClasses()) {
            if (c.getClassLoader() == null) continue;
            try {
                if (c.getName().equals("dev.diag.api.HookLink")) {
                    Field linked = c.getDeclaredField("linked");
                    linked.setAccessible(true);
                    if (!linked.getBoolean(null)) {
                        linked.setBoolean(null, true);
                        Log.debug("linked the dev.diag.api of " + c.getClassLoader() + " to diag's hooks");
                    }
                } else if (c.getName().equals("dev.diag.api.CustomProfile")) {
                    dev.diag.pprof.CustomProfiles.serveApplicationCopy(c);
                } else if (c.getName().equals("dev.diag.api.Vars")) {
                    dev.diag.http.ApplicationVars.serveApplicationCopy(c);
                }
            } catch (ReflectiveOperationException | RuntimeException e) {
                Log.error("cannot link the dev.diag.api of " + c.getClassLoader() + " to diag (" + e
                        + "); that copy's traces, labels, custom profiles and vars stay off");
            }
        }
    }
}
