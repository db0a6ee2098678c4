package dev.diag.hook;

import java.util.concurrent.Callable;

/**
 * A submitted {@link Callable} that carries the submitter's trace task to the thread that runs it, as
 * {@link TaskRunnable} does for a {@link Runnable}. Created only while a trace records and the submitting thread has a
 * task.
 */
public final class TaskCallable<T> implements Callable<T> {
    private final Callable<T> delegate;
    private final long task;

    TaskCallable(Callable<T> delegate, long task) {
        this.delegate = delegate;
        this.task = task;
    }

    @Override
    public T call() throws Exception {
        long previous = TraceHook.enterTask(task);
        try {
            return delegate.call();
        } finally {
            TraceHook.exitTask(previous);
        }
    }

    @Override
    public String toString() {
        return delegate.toString();
    }
}
