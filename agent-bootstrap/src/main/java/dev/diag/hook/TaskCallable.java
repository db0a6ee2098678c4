package dev.diag.hook;

import java.util.concurrent.Callable;

/**
 * A submitted {@link Callable} that carries the submitter's profile labels and trace task to the thread that runs it,
 * as {@link TaskRunnable} does for a {@link Runnable}.
 */
public final class TaskCallable<T> implements Callable<T> {
    private final Callable<T> delegate;
    private final long task;
    private final LabelSet labels;

    TaskCallable(Callable<T> delegate, long task, LabelSet labels) {
        this.delegate = delegate;
        this.task = task;
        this.labels = labels;
    }

    @Override
    public T call() throws Exception {
        long previousTask = task == 0 ? 0 : TraceHook.enterTask(task);
        LabelSet previousLabels = LabelHook.enter(labels);
        try {
            return delegate.call();
        } finally {
            LabelHook.leave(previousLabels);
            if (task != 0) TraceHook.exitTask(previousTask);
        }
    }

    @Override
    public String toString() {
        return delegate.toString();
    }
}
