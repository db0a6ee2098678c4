package dev.diag.http;

import dev.diag.api.Vars;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * The application's variables ({@link Vars}, Go's {@code expvar}) as the JSON values {@code /debug/vars} shows: those
 * of diag's copy of the API and of each copy an application loaded from its class path before diag was attached
 * (read by reflection: that copy's classes are not diag's). A variable whose {@code json()} throws shows as a string
 * naming the exception, so one broken variable cannot take the page down.
 */
public final class ApplicationVars {
    private static final Set<Class<?>> APPLICATION_COPIES = ConcurrentHashMap.newKeySet();

    private ApplicationVars() {}

    /** Serves, from now on, the variables of an application's own copy of {@code dev.diag.api.Vars}. */
    public static void serveApplicationCopy(Class<?> varsClass) {
        APPLICATION_COPIES.add(varsClass);
    }

    /** Returns each variable's JSON by name, sorted; a name in two copies once, diag's first. */
    static Map<String, String> read() {
        Map<String, String> out = new TreeMap<>();
        Vars.each((name, v) -> out.put(name, json(v)));
        for (Class<?> copy : APPLICATION_COPIES) {
            try {
                Method json = Class.forName("dev.diag.api.Vars$Var", false, copy.getClassLoader()).getMethod("json");
                BiConsumer<String, Object> collect = (name, v) -> out.computeIfAbsent(name, n -> call(json, v));
                copy.getMethod("each", BiConsumer.class).invoke(null, collect);
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                // a copy of another shape (another diag version): not served
            }
        }
        return out;
    }

    /** Returns how many publications every copy dropped at its bound. */
    public static long droppedVars() {
        return Vars.droppedVars() + sumOverCopies("droppedVars");
    }

    /** Returns how many new map keys every copy dropped at its bound. */
    public static long droppedMapKeys() {
        return Vars.droppedMapKeys() + sumOverCopies("droppedMapKeys");
    }

    private static long sumOverCopies(String method) {
        long sum = 0;
        for (Class<?> copy : APPLICATION_COPIES) {
            try {
                sum += (Long) copy.getMethod(method).invoke(null);
            } catch (ReflectiveOperationException | RuntimeException e) {
                // another shape: nothing to add
            }
        }
        return sum;
    }

    private static String json(Vars.Var v) {
        try {
            return v.json();
        } catch (Throwable e) { // the application's own Var implementation
            return VarsHandler.json("Var failed: " + e);
        }
    }

    private static String call(Method json, Object v) {
        try {
            return (String) json.invoke(v);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return VarsHandler.json("Var failed: " + (e.getCause() != null ? e.getCause() : e));
        }
    }
}
