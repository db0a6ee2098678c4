package dev.diag.hook;

/**
 * A submitted {@link Runnable} that carries the submitter's trace task to the thread that runs it, as Go code passes
 * a {@code context.Context}. Created only while a trace records and the submitting thread has a task.
 */
public final class TaskRunnable implements Runnable {
    private final Runnable delegate;
    private final long task;

    TaskRunnable(Runnable delegate, long task) {
        this.delegate = delegate;
        this.task = task;
    }

    @Override
    public void run() {
        long previous = TraceHook.enterTask(task);
        try {
            delegate.run();
        } finally {
            TraceHook.exitTask(previous);
        }
    }

    @Override
    public String toString() {
        return delegate.toString();
    }
}
