package dev.diag.api;

import dev.diag.hook.RequestHook;
import dev.diag.hook.TraceHook;

/**
 * User annotations for the execution trace, as Go's {@code runtime/trace}: tasks, regions and log messages that
 * {@code go tool trace} and Perfetto show beside the threads' own events.
 *
 * <pre>{@code
 * try (Task task = Trace.newTask("handleOrder")) {          // current task of this thread until closed
 *     try (Region r = Trace.region("validate")) { ... }     // nests per thread
 *     Trace.log("order", "id=" + id);
 *     executor.submit(work);                                // work runs in the same task
 * }
 * }</pre>
 *
 * <p>Every method costs a volatile read or two and returns a shared no-op object while no trace records (or when diag
 * is not loaded at all: then this class is the application's own copy, and it records once diag is attached, see
 * {@link HookLink}). Never throws.
 */
public final class Trace {
    // Task, Region and HookLink are loaded with this class, by its loader: an application's copy loaded before an
    // attach must not meet bootstrap copies of its siblings later (package-private access across loaders fails).
    private static final Task NO_TASK = Task.NONE;
    private static final Region NO_REGION = Region.NONE;

    static {
        HookLink.load();
    }

    private Trace() {}

    /** Returns whether an execution trace is recording now (use it to skip building expensive log messages). */
    public static boolean isEnabled() {
        try {
            return HookLink.linked && TraceHook.isEnabled();
        } catch (Throwable e) {
            return false;
        }
    }

    /**
     * Starts a task, as Go's {@code trace.NewTask}: a logical operation that may span threads, ended explicitly by
     * {@link Task#end()} (or {@code close()}) on any thread. It becomes the calling thread's current task, child of the
     * task that was current; work submitted to executors and {@code CompletableFuture} async stages runs in it.
     */
    public static Task newTask(String name) {
        try {
            if (!HookLink.linked) return NO_TASK;
            Object request = RequestHook.start(name); // the task is a request on /debug/requests too
            if (!TraceHook.isEnabled()) return request == null ? NO_TASK : new Task(0, 0, request);
            long[] previous = new long[1];
            long id = TraceHook.taskCreate(name, previous);
            return id == 0 && request == null ? NO_TASK : new Task(id, previous[0], request);
        } catch (Throwable e) {
            return NO_TASK;
        }
    }

    /**
     * Opens a region on the calling thread, in its current task, as Go's {@code trace.StartRegion}; close it on the
     * same thread (try-with-resources). Regions nest: closing ends the innermost open region of the thread.
     */
    public static Region region(String name) {
        try {
            return HookLink.linked && TraceHook.regionBegin(name) ? Region.OPEN : NO_REGION;
        } catch (Throwable e) {
            return NO_REGION;
        }
    }

    /** Records a message in the calling thread's current task, as Go's {@code trace.Log(ctx, category, message)}. */
    public static void log(String category, String message) {
        try {
            if (HookLink.linked) TraceHook.log(category, message);
        } catch (Throwable e) {
            // never into the application
        }
    }
}
