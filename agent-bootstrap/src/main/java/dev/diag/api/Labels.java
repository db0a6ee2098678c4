package dev.diag.api;

import dev.diag.hook.LabelHook;
import dev.diag.hook.LabelSet;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Profile labels, as Go's {@code runtime/pprof} labels: key-value pairs attached to the calling thread, carried by
 * every CPU profile sample taken while they are set and shown on the thread in the goroutine profile, so that
 * {@code go tool pprof -tagfocus=endpoint=/users} or {@code -tags} splits a profile by request, tenant or job.
 *
 * <pre>{@code
 * try (Labels.Scope s = Labels.with("endpoint", "/users", "tenant", tenant)) {   // Go's pprof.Do
 *     handle(request);                                                          // CPU samples carry both labels
 * }                                                                             // the previous labels are back
 * }</pre>
 *
 * <p>Scopes nest: an inner scope adds to the outer labels, replacing a key the outer scope set. Labels belong to the
 * thread; a task handed to an executor does not take them along (set them in the task). While no profile shows
 * labels, a scope costs a thread-local write. Without diag in the JVM labels are not kept (a scope costs a volatile
 * read, {@link #current()} is empty); an application's own copy of this class starts keeping them once diag is
 * attached ({@link HookLink}). Never throws, except for malformed arguments (with or without diag).
 */
public final class Labels {
    /** A scope that restores nothing; loaded with this class (see {@link HookLink}). */
    private static final Scope INERT = new Scope(null);

    static {
        INERT.closed = true;
        HookLink.load();
    }

    private Labels() {}

    /**
     * Adds {@code keyValues} (key, value, key, value...) to the calling thread's labels until the returned scope is
     * closed; closing restores the labels the thread had before, as {@code pprof.Do} does when its function returns.
     *
     * @throws IllegalArgumentException for an odd number of strings or a null key or value
     */
    public static Scope with(String... keyValues) {
        checkPairs(keyValues);
        if (!HookLink.linked) return INERT;
        LabelSet previous;
        LabelSet next;
        try {
            previous = LabelHook.current();
            next = previous.with(keyValues);
        } catch (LinkageError e) {
            return INERT; // an application's copy of diag's classes, split by an attach (see HookLink)
        }
        LabelHook.set(next);
        return new Scope(previous);
    }

    /** Returns the calling thread's labels, in key order; empty when it has none. */
    public static Map<String, String> current() {
        Map<String, String> m = new LinkedHashMap<>();
        if (!HookLink.linked) return m;
        LabelSet s;
        try {
            s = LabelHook.current();
        } catch (LinkageError e) {
            return m;
        }
        for (int i = 0; i < s.size(); i++) m.put(s.key(i), s.value(i));
        return m;
    }

    private static void checkPairs(String[] keyValues) {
        if (keyValues.length % 2 != 0) {
            throw new IllegalArgumentException("labels come in key, value pairs; got " + keyValues.length + " strings");
        }
        for (String s : keyValues) {
            if (s == null) throw new IllegalArgumentException("null label key or value");
        }
    }

    /** The labels of one {@link #with} call, in force until closed on the thread that opened it. */
    public static final class Scope implements AutoCloseable {
        private final LabelSet previous;
        private boolean closed;

        private Scope(LabelSet previous) {
            this.previous = previous;
        }

        /** Restores the thread's labels from before this scope. Closing twice does nothing more. */
        @Override
        public void close() {
            if (closed) return;
            closed = true;
            try {
                LabelHook.set(previous);
            } catch (LinkageError e) {
                // never into the application
            }
        }
    }
}
