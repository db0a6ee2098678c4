package dev.diag.jfr;

import dev.diag.base.Log;

import java.lang.instrument.Instrumentation;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.Set;

/**
 * Asks JFR to flush its buffers to the stream now and wakes the stream's reader, so that events committed a moment
 * ago are delivered in milliseconds instead of at JFR's next periodic flush (up to a second later).
 *
 * <p>Why internals: JFR flushes a streamed recording once a second and refuses a shorter interval
 * ({@code FlushTask.setInterval}: "Don't accept shorter interval than 1 s"); its reader then naps up to a second
 * between looks at the repository. No public API flushes. So this does what JFR's own periodic task does, through the
 * same two calls: the flush ({@code PlatformRecorder.flush()}, which also takes the recorder's lock, where it exists
 * as on JDK 25; else {@code MetadataRepository.flush()} as on JDK 17) and {@code Utils.notifyFlush()}. diag exports the package
 * {@code jdk.jfr.internal} (and {@code jdk.jfr.internal.util}) to itself only, with the agent's
 * {@code Instrumentation.redefineModule}, the same right every agent has; nothing is opened to the application.
 *
 * <p>Anything missing (a JVM whose internals differ, no instrumentation in a unit test) turns it off with one debug
 * line: {@link #flush} then returns false and callers wait for JFR's own flush, as before. Thread-safe: JFR's flush is
 * synchronized inside, exactly as when its periodic task and a flush requested here meet.
 */
public final class JfrFlush {
    private static final String INTERNAL = "jdk.jfr.internal";
    private static final String INTERNAL_UTIL = "jdk.jfr.internal.util";

    private final Object target;
    private final Method flush;
    private final Method notifyFlush;
    private volatile boolean broken;

    private JfrFlush(Object target, Method flush, Method notifyFlush) {
        this.target = target;
        this.flush = flush;
        this.notifyFlush = notifyFlush;
    }

    /** Returns a flusher that never flushes: callers wait for JFR's periodic flush. */
    public static JfrFlush none() {
        return new JfrFlush(null, null, null);
    }

    /**
     * Returns a flusher for this JVM, exporting JFR's internal packages to diag with {@code inst} (may be null when
     * they are exported already, e.g. by {@code --add-exports}); returns {@link #none()} after one debug line when
     * this JVM's JFR does not have the calls it needs. Call once JFR runs (its recorder exists).
     */
    public static JfrFlush open(Instrumentation inst) {
        try {
            Module jfr = ModuleLayer.boot().findModule("jdk.jfr").orElseThrow();
            Module self = JfrFlush.class.getModule();
            export(inst, jfr, self, INTERNAL);
            export(inst, jfr, self, INTERNAL_UTIL);
            Object target;
            Method flush;
            Class<?> recorder = Class.forName(INTERNAL + ".PlatformRecorder");
            Method recorderFlush = publicMethod(recorder, "flush");
            if (recorderFlush != null) { // JDK 25: what its FlushTask calls
                Class<?> privateAccess = Class.forName(INTERNAL + ".PrivateAccess");
                Object access = privateAccess.getMethod("getInstance").invoke(null);
                target = privateAccess.getMethod("getPlatformRecorder").invoke(access);
                flush = recorderFlush;
            } else { // JDK 17: what its RequestEngine calls
                Class<?> repository = Class.forName(INTERNAL + ".MetadataRepository");
                target = repository.getMethod("getInstance").invoke(null);
                flush = repository.getMethod("flush");
            }
            Class<?> utils = jfr.getPackages().contains(INTERNAL_UTIL)
                    && classExists(INTERNAL_UTIL + ".Utils") ? Class.forName(INTERNAL_UTIL + ".Utils")
                    : Class.forName(INTERNAL + ".Utils");
            Method notifyFlush = utils.getMethod("notifyFlush");
            JfrFlush f = new JfrFlush(target, flush, notifyFlush);
            if (!f.flush()) return none();
            return f;
        } catch (Throwable e) {
            Log.debug("jfr: cannot ask JFR to flush (" + e + "); windows wait for JFR's own flush, about a second");
            return none();
        }
    }

    /**
     * Flushes JFR's buffers into the stream's repository and wakes its reader; returns false (and waits for nothing)
     * when this JVM's JFR cannot be asked, after which the caller's events arrive with JFR's next periodic flush.
     */
    public boolean flush() {
        if (flush == null || broken) return false;
        try {
            flush.invoke(target);
            notifyFlush.invoke(null);
            return true;
        } catch (Throwable e) {
            broken = true;
            Log.debug("jfr: flush request failed (" + e + "); windows wait for JFR's own flush from now on");
            return false;
        }
    }

    private static void export(Instrumentation inst, Module jfr, Module self, String pkg) {
        if (!jfr.getPackages().contains(pkg) || jfr.isExported(pkg, self)) return;
        if (inst == null) throw new IllegalStateException(pkg + " is not exported to diag and there is no agent");
        inst.redefineModule(jfr, Set.of(), Map.of(pkg, Set.of(self)), Map.of(), Set.of(), Map.of());
    }

    private static Method publicMethod(Class<?> c, String name) {
        try {
            return c.getMethod(name);
        } catch (NoSuchMethodException e) {
            return null;
        }
    }

    private static boolean classExists(String name) {
        try {
            Class.forName(name, false, null);
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
