package dev.diag.hook;

import java.util.Iterator;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Each thread's current profile labels, and the one place that tells the profiler when they change.
 *
 * <p>The labels live in a {@link ThreadLocal} for the thread itself and, from its first labels until it ends, in a map
 * by thread id for readers on other threads (the goroutine profile, a profiler starting late). A platform thread stays
 * in the map while its labels come and go (a pool thread that runs labelled tasks would otherwise enter and leave it
 * with every task); a virtual thread, which does not run {@code Thread.exit}, leaves it when its labels become empty.
 * A change is handed to the {@link Listener} diag installs when a profile that shows labels runs, and to the execution
 * tracer while a trace records ({@link TraceHook#labelsChanged}); without either, a change costs the thread-local write
 * (and the map update on a thread's first labels) and two static reads.
 *
 * <p>Bounded: a platform thread is forgotten as it ends ({@link #threadEnding}, from {@link ThreadExitHook}); the map
 * also stops at {@value #MAX_THREADS} threads, past which a newly labelled thread keeps its labels to itself (its own
 * CPU samples still carry them; the goroutine profile does not show them) and is counted in {@link #dropped()}.
 */
public final class LabelHook {
    /** Receives every change of a thread's labels, on that thread. Must not throw or block. */
    public interface Listener {
        void labelsChanged(LabelSet labels);
    }

    /**
     * Follows which labels each OS thread carries as virtual threads mount on it and leave it (JDK 21+): the native
     * sampler knows a sample by its OS thread only, so a carrier's labels are those of whichever thread it runs. Calls
     * come on the carrier's OS thread. Must not throw or block.
     */
    public interface MountListener {
        /** Before a mount, the carrier still current: a token for the carrier's OS thread, or null to ignore it. */
        Object carrier();

        /** After a mount, the virtual thread current: it runs on {@code carrier} with {@code labels}. */
        void mounted(Object carrier, LabelSet labels);

        /**
         * After an unmount, the carrier current again: it runs with its own {@code labels}; the virtual thread that
         * left had {@code leaving}.
         */
        void unmounted(LabelSet leaving, LabelSet labels);
    }

    /** Most threads whose labels other threads can read. */
    public static final int MAX_THREADS = 65_536;

    /** The superclass of JDK 21+'s virtual threads; null before them. A class lookup, no method handle. */
    private static final Class<?> BASE_VIRTUAL_THREAD = classOrNull("java.lang.BaseVirtualThread");

    private static final ThreadLocal<Holder> CURRENT = new ThreadLocal<>();
    private static final AtomicLong DROPPED = new AtomicLong();
    /** Threads that had labels: platform threads until they end, virtual threads while their labels are not empty. */
    private static final ConcurrentHashMap<Long, Holder> BY_THREAD = new ConcurrentHashMap<>();
    private static volatile Listener listener;
    private static volatile MountListener mountListener;
    /**
     * Whether a virtual thread has had labels: until one has, a mount or unmount costs one read of this. Never reset:
     * from then on every mount sets the virtual thread's {@link Holder#carrier}, so that it is either null or the
     * carrier it runs on now.
     */
    private static volatile boolean virtualLabelled;
    /** From {@link #beforeMount} when virtual threads have labels but no carrier is followed. */
    private static final Object NO_CARRIER = new Object();
    /** Threads started by a labelled thread that have not begun {@code Thread.run()} yet, and the labels they take. */
    private static final ConcurrentHashMap<Thread, LabelSet> INHERITED = new ConcurrentHashMap<>();
    private static final StackWalker POOL_FRAMES = StackWalker.getInstance();

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
            h = new Holder(Thread.currentThread());
            CURRENT.set(h);
        }
        boolean wasEmpty = h.labels.size() == 0;
        h.labels = labels;
        if (h.virtual && !virtualLabelled && labels.size() != 0) virtualLabelled = true;
        if (labels.size() == 0) {
            if (h.registered && h.virtual) unregister(h);
        } else if (!h.registered && wasEmpty) {
            if (BY_THREAD.size() < MAX_THREADS) {
                BY_THREAD.put(h.threadId, h);
                h.registered = true;
            } else {
                DROPPED.incrementAndGet();
            }
        }
        Listener l = listener;
        if (l != null) {
            try {
                l.labelsChanged(labels);
            } catch (Throwable ignored) {
                // The profiler's failure never reaches the application.
            }
        }
        try {
            TraceHook.labelsChanged(labels); // one volatile read unless a trace records
        } catch (Throwable ignored) {
            // The tracer's failure never reaches the application.
        }
    }

    /**
     * Makes {@code labels} the calling thread's for a task handed over from another thread; returns the labels it had,
     * for {@link #leave}. Costs a thread-local read when they are the same.
     */
    static LabelSet enter(LabelSet labels) {
        LabelSet previous = current();
        if (previous != labels) set(labels);
        return previous;
    }

    /** Gives the calling thread back the labels it had before {@link #enter}, whatever the task left behind. */
    static void leave(LabelSet previous) {
        if (current() != previous) set(previous);
    }

    private static void unregister(Holder h) {
        BY_THREAD.remove(h.threadId);
        h.registered = false;
    }

    /**
     * On {@code Thread.start}, before the thread runs: the new thread will take the starting thread's labels when its
     * {@code Thread.run()} begins ({@link #onRunning}), as a goroutine inherits its creator's. Not for the workers a
     * pool starts while running {@code execute} or {@code submit} for a labelled caller: they outlive that task, and
     * each task they run gets its own submitter's labels (see {@link TaskRunnable}). Never throws.
     */
    public static void onStarting(Thread thread) {
        try {
            Holder h = CURRENT.get();
            if (h == null || h.labels.size() == 0) return;
            // A virtual thread is never a pool's worker: no stack walk for it, however many a labelled thread starts.
            boolean virtual = BASE_VIRTUAL_THREAD != null && BASE_VIRTUAL_THREAD.isInstance(thread);
            if (thread.getState() != Thread.State.NEW || thread instanceof ForkJoinWorkerThread
                    || !virtual && startedByPool()) {
                return;
            }
            if (INHERITED.size() >= MAX_THREADS) {
                DROPPED.incrementAndGet();
                return;
            }
            INHERITED.put(thread, h.labels);
        } catch (Throwable e) {
            // woven into Thread.start: nothing reaches the application
        }
    }

    /**
     * On entry to {@code Thread.run()}, and to the {@code run()} of an application's {@code Thread} subclass (which
     * need not call {@code super.run()}): a thread started by a labelled thread takes its labels. {@code thread} is
     * the {@code run()} method's receiver, typed {@code Object} so that woven code never depends on a class's super
     * type being what its class file says. Never throws.
     */
    public static void onRunning(Object thread) {
        try {
            if (INHERITED.isEmpty() || thread != Thread.currentThread()) return;
            LabelSet inherited = INHERITED.remove(thread);
            if (inherited != null) set(inherited);
        } catch (Throwable e) {
            // woven into Thread.run: nothing reaches the application
        }
    }

    /** Whether a pool's own code is starting the thread (a worker), found in the few frames above the start. */
    private static boolean startedByPool() {
        return POOL_FRAMES.walk(PoolFrameSearch.INSTANCE);
    }

    /** A class, not a lambda: it runs inside {@code Thread.start}, where linking a call site is best avoided. */
    private static final class PoolFrameSearch implements Function<Stream<StackWalker.StackFrame>, Boolean> {
        static final PoolFrameSearch INSTANCE = new PoolFrameSearch();

        @Override
        public Boolean apply(Stream<StackWalker.StackFrame> frames) {
            Iterator<StackWalker.StackFrame> it = frames.limit(12).iterator();
            while (it.hasNext()) {
                StackWalker.StackFrame f = it.next();
                String c = f.getClassName();
                if (c.equals("java.util.concurrent.ThreadPoolExecutor") && f.getMethodName().equals("addWorker")
                        || c.equals("java.util.concurrent.ForkJoinPool")) {
                    return Boolean.TRUE;
                }
            }
            return Boolean.FALSE;
        }
    }

    /** Returns the labels of the thread with id {@code threadId}, {@link LabelSet#EMPTY} when it has none. */
    public static LabelSet of(long threadId) {
        Holder h = BY_THREAD.get(threadId);
        return h == null ? LabelSet.EMPTY : h.labels;
    }

    /**
     * Returns the ids of the threads that had labels (some may have none now: read them with {@link #of}; a thread
     * that ended without {@code Thread.exit} running stays until {@link #forget}).
     */
    public static java.util.Set<Long> labelledThreads() {
        return java.util.Collections.unmodifiableSet(BY_THREAD.keySet());
    }

    /** Forgets the labels of a thread that has ended. */
    public static void forget(long threadId) {
        BY_THREAD.remove(threadId);
    }

    /**
     * Clears the calling thread's labels as it ends ({@code Thread.exit}), so that neither this map nor the profiler
     * (told through the listener) keeps a thread that is gone.
     */
    public static void threadEnding() {
        if (!INHERITED.isEmpty()) INHERITED.remove(Thread.currentThread()); // it never ran Thread.run()
        Holder h = CURRENT.get();
        if (h == null) return;
        if (h.labels.size() != 0) set(LabelSet.EMPTY);
        if (h.registered) unregister(h);
    }

    /** Returns how many threads became labelled while the map was full, and were not entered in it. */
    public static long dropped() {
        return DROPPED.get();
    }

    /**
     * Returns the OS id of the labelled thread with Java id {@code threadId}, or -1 when it has no labels or the OS
     * does not tell.
     */
    public static long nativeIdOf(long threadId) {
        Holder h = BY_THREAD.get(threadId);
        return h == null ? -1 : h.nativeId;
    }

    /**
     * Returns the token of the carrier the calling virtual thread was last mounted on while mounts were followed
     * ({@link MountListener#carrier}), or null: for the listener, which checks that it is still current.
     */
    public static Object currentCarrier() {
        Holder h = CURRENT.get();
        return h == null ? null : h.carrier;
    }

    /**
     * Woven at the entry of {@code VirtualThread.mount()}, where the carrier is still the current thread: returns its
     * token for {@link #afterMount} (a marker when nothing follows mounts), or null while no virtual thread has had
     * labels. Never throws.
     */
    public static Object beforeMount() {
        if (!virtualLabelled) return null;
        try {
            MountListener l = mountListener;
            Object carrier = l == null ? null : l.carrier();
            return carrier == null ? NO_CARRIER : carrier;
        } catch (Throwable e) {
            return NO_CARRIER; // woven into VirtualThread.mount: nothing reaches the application
        }
    }

    /** Woven before each return of {@code VirtualThread.mount()}, the virtual thread now current. Never throws. */
    public static void afterMount(Object carrier) {
        if (carrier == null) return;
        try {
            Holder h = CURRENT.get();
            // Even with no carrier to follow: a token left from an earlier mount must not outlive it.
            if (h != null) h.carrier = carrier == NO_CARRIER ? null : carrier;
            MountListener l = mountListener;
            if (l != null && carrier != NO_CARRIER) l.mounted(carrier, h == null ? LabelSet.EMPTY : h.labels);
        } catch (Throwable e) {
            // woven into VirtualThread.mount: nothing reaches the application
        }
    }

    /**
     * Woven at the entry of {@code VirtualThread.unmount()}, the virtual thread still current: returns its labels for
     * {@link #afterUnmount}, or null while no virtual thread has labels or nothing follows mounts. Never throws.
     */
    public static Object beforeUnmount() {
        if (!virtualLabelled || mountListener == null) return null;
        try {
            return current();
        } catch (Throwable e) {
            return null; // woven into VirtualThread.unmount: nothing reaches the application
        }
    }

    /** Woven before each return of {@code VirtualThread.unmount()}, the carrier current again. Never throws. */
    public static void afterUnmount(Object leaving) {
        if (leaving == null) return;
        try {
            MountListener l = mountListener;
            if (l != null) l.unmounted((LabelSet) leaving, current());
        } catch (Throwable e) {
            // woven into VirtualThread.unmount: nothing reaches the application
        }
    }

    /** Installs (or, with null, removes) the listener for mounts of virtual threads. */
    public static void setMountListener(MountListener l) {
        mountListener = l;
    }

    /** Returns the calling thread's OS id, read once per thread (at its first label). */
    public static long currentNativeId() {
        Holder h = CURRENT.get();
        return h == null ? NativeThreadIds.current() : h.nativeId;
    }

    /** A thread's labels, written by that thread only and read by others. */
    private static final class Holder {
        final long threadId;
        final boolean virtual;
        final long nativeId = NativeThreadIds.current();
        volatile LabelSet labels = LabelSet.EMPTY;
        /** In {@link #BY_THREAD}; written by the thread itself only. */
        boolean registered;
        /** A virtual thread's carrier token ({@link #afterMount}); written and read by the thread itself only. */
        Object carrier;

        Holder(Thread thread) {
            this.threadId = thread.getId();
            this.virtual = BASE_VIRTUAL_THREAD != null && BASE_VIRTUAL_THREAD.isInstance(thread);
        }
    }

    private static Class<?> classOrNull(String name) {
        try {
            return Class.forName(name, false, null);
        } catch (Throwable e) {
            return null;
        }
    }

    /** Installs (or, with null, removes) the listener for label changes. */
    public static void setListener(Listener l) {
        listener = l;
    }
}
