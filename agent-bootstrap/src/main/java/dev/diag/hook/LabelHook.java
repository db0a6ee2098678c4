package dev.diag.hook;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Each thread's current profile labels, and the one place that tells the profiler when they change.
 *
 * <p>The labels live in a {@link ThreadLocal} for the thread itself and, while not empty, in a map by thread id for
 * readers on other threads (the goroutine profile, a profiler starting late). A change is handed to the
 * {@link Listener} diag installs when a profile that shows labels runs; without one, a change costs the thread-local
 * write and the map update only.
 */
public final class LabelHook {
    /** Receives every change of a thread's labels, on that thread. Must not throw or block. */
    public interface Listener {
        void labelsChanged(LabelSet labels);
    }

    private static final ThreadLocal<Holder> CURRENT = new ThreadLocal<>();
    /** Threads whose labels are not empty; entered and left only when a thread's labels become (non-)empty. */
    private static final ConcurrentHashMap<Long, Holder> BY_THREAD = new ConcurrentHashMap<>();
    private static volatile Listener listener;

    private LabelHook() {}

    /** Returns the calling thread's labels, {@link LabelSet#EMPTY} when it has none. */
    public static LabelSet current() {
        Holder h = CURRENT.get();
        return h == null ? LabelSet.EMPTY : h.labels;
    }

    /** Makes {@code labels} the calling thread's labels. */
    public static void set(LabelSet labels) {
        Holder h = CURRENT.get();
        if (h == null) {
            h = new Holder(Thread.currentThread().getId());
            CURRENT.set(h);
        }
        boolean wasEmpty = h.labels.size() == 0;
        h.labels = labels;
        if (labels.size() == 0) {
            if (!wasEmpty) BY_THREAD.remove(h.threadId);
        } else if (wasEmpty) {
            BY_THREAD.put(h.threadId, h);
        }
        Listener l = listener;
        if (l != null) {
            try {
                l.labelsChanged(labels);
            } catch (Throwable ignored) {
                // The profiler's failure never reaches the application.
            }
        }
    }

    /** Returns the labels of the thread with id {@code threadId}, {@link LabelSet#EMPTY} when it has none. */
    public static LabelSet of(long threadId) {
        Holder h = BY_THREAD.get(threadId);
        return h == null ? LabelSet.EMPTY : h.labels;
    }

    /**
     * Returns the ids of the threads that have labels now (a thread that ended with labels set stays until
     * {@link #forget}).
     */
    public static java.util.Set<Long> labelledThreads() {
        return java.util.Collections.unmodifiableSet(BY_THREAD.keySet());
    }

    /** Forgets the labels of a thread that has ended. */
    public static void forget(long threadId) {
        BY_THREAD.remove(threadId);
    }

    /** A thread's labels, written by that thread only and read by others. */
    private static final class Holder {
        final long threadId;
        volatile LabelSet labels = LabelSet.EMPTY;

        Holder(long threadId) {
            this.threadId = threadId;
        }
    }

    /** Installs (or, with null, removes) the listener for label changes. */
    public static void setListener(Listener l) {
        listener = l;
    }
}
