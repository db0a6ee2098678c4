package dev.diag.hook;

/**
 * A submitted {@link Runnable} that carries the submitter's profile labels and trace task to the thread that runs it,
 * as Go code passes a {@code context.Context}, and gives that thread its own back when the task ends (a pooled thread
 * keeps no task's labels). Created only when the submitting thread has labels, or a task while a trace records.
 */
public final class TaskRunnable implements Runnable {
    private final Runnable delegate;
    private final long task;
    private final LabelSet labels;

    TaskRunnable(Runnable delegate, long task, LabelSet labels) {
        this.delegate = delegate;
        this.task = task;
        this.labels = labels;
    }

    @Override
    public void run() {
        long previousTask = task == 0 ? 0 : TraceHook.enterTask(task);
        LabelSet previousLabels = LabelHook.enter(labels);
        try {
            delegate.run();
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
