package dev.diag.api;

import dev.diag.hook.RequestHook;
import dev.diag.hook.TraceHook;

/**
 * A trace task (Go's {@code *trace.Task}): started by {@link Trace#newTask}, ended once by {@link #end()} on any
 * thread. Ending it on the thread where it is current makes its parent current again.
 */
public final class Task implements AutoCloseable {
    /** The task returned while no trace records; ending it does nothing. */
    static final Task NONE = new Task(0, 0, null);

    private final long id;
    private final long parent;
    /** The task's request on /debug/requests (see RequestHook), or null. */
    private final Object request;

    Task(long id, long parent, Object request) {
        this.id = id;
        this.parent = parent;
        this.request = request;
    }

    /** Returns the task's id in the trace, or 0 when it was started while no trace recorded. */
    public long id() {
        return id;
    }

    /** Ends the task, as Go's {@code Task.End}. */
    public void end() {
        if (request != null) RequestHook.finish(request); // not null: started through the hooks, so they are linked
        if (id == 0) return;
        try {
            TraceHook.taskEnd(id, parent); // a task with an id was started through the hooks: they are linked
        } catch (Throwable e) {
            // never into the application
        }
    }

    /** Same as {@link #end()}, for try-with-resources. */
    @Override
    public void close() {
        end();
    }
}
