package dev.diag.stack;

import java.lang.reflect.Modifier;

/**
 * Finds where a waiting (or lock-releasing) thread's stack starts for a profile: the {@code java.util.concurrent}
 * method the application called, with the synchronization plumbing above it trimmed, as Go shows
 * {@code sync.(*Mutex).Lock} rather than the runtime's semaphore code:
 *
 * <pre>
 *   LockSupport.park                         trimmed: plumbing
 *   AbstractQueuedSynchronizer.acquire       trimmed: plumbing (AQS and its nested classes)
 *   ReentrantLock$Sync.lock                  trimmed: a non-public java.util.concurrent class
 *   ReentrantLock.lock                       top
 *   app.Worker.run
 * </pre>
 *
 * Rules, applied from the leaf (diag's own frames already gone): drop plumbing ({@code LockSupport}, {@code Unsafe},
 * AQS and AQLS with their nested classes, virtual-thread and continuation internals, {@code ForkJoinPool.managedBlock})
 * and frames of non-public {@code java.util.concurrent} classes; then, while the top is a {@code java.util.concurrent}
 * method, let its caller absorb it when that caller is in the same class ({@code FutureTask.awaitDone} becomes
 * {@code FutureTask.get}) or is a public {@code java.util.concurrent} method reached only through non-public helpers
 * (JDK 21+: {@code LinkedTransferQueue.awaitMatch} under {@code SynchronousQueue$Transferer} becomes
 * {@code SynchronousQueue.take}). A public caller of another class directly above stays below the top
 * ({@code LinkedBlockingQueue.take} called by {@code ThreadPoolExecutor.getTask}): there the application's own choice
 * of primitive is the wait site. If nothing is left, the stack is kept untrimmed. Runs only when a stack is seen for
 * the first time.
 */
final class WaitSiteTrim {
    private WaitSiteTrim() {}

    /** Returns the index of the first frame to show among {@code frames[from, n)}, leaf first. */
    static int top(StackWalker.StackFrame[] frames, int from, int n) {
        int top = from;
        while (top < n && isPlumbing(frames[top].getDeclaringClass(), frames[top].getClassName(),
                frames[top].getMethodName())) {
            top++;
        }
        if (top == n) return from;
        while (frames[top].getClassName().startsWith("java.util.concurrent.")) {
            int caller = top + 1;
            while (caller < n && isNonPublicJuc(frames[caller])) caller++; // helpers between two public methods
            if (caller == n || !frames[caller].getClassName().startsWith("java.util.concurrent.")) break;
            boolean sameClass = frames[caller].getClassName().equals(frames[top].getClassName());
            if (!sameClass && caller == top + 1) break; // a public j.u.c. caller of another class: the app's own
            top = caller;
        }
        return top;
    }

    private static boolean isNonPublicJuc(StackWalker.StackFrame f) {
        return f.getClassName().startsWith("java.util.concurrent.") && f.getDeclaringClass() != null
                && !isPublicType(f.getDeclaringClass());
    }

    /** Returns whether a frame is synchronization plumbing that never shows at the top of a block or mutex stack. */
    static boolean isPlumbing(Class<?> declaring, String className, String methodName) {
        if (className.startsWith("java.util.concurrent.")) {
            if (className.startsWith("java.util.concurrent.locks.AbstractQueued")) return true;
            if (className.equals("java.util.concurrent.locks.LockSupport")) return true;
            if (className.equals("java.util.concurrent.ForkJoinPool")) {
                return methodName.endsWith("Block"); // managedBlock and the private helpers it calls
            }
            return declaring != null && !isPublicType(declaring);
        }
        return className.equals("jdk.internal.misc.Unsafe") || className.equals("java.lang.VirtualThread")
                || className.startsWith("jdk.internal.vm.Continuation");
    }

    private static boolean isPublicType(Class<?> c) {
        for (Class<?> k = c; k != null; k = k.getDeclaringClass()) {
            if (!Modifier.isPublic(k.getModifiers())) return false;
        }
        return true;
    }
}
