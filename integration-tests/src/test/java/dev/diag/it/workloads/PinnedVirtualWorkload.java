package dev.diag.it.workloads;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Virtual threads waiting for a held ReentrantLock, one of them pinned to its carrier: it waits inside a class
 * initializer ({@code waitWhilePinned}, called from {@code PinnedInit.<clinit>}; a class initializer runs below a VM
 * frame, which pins the virtual thread on JDK 21..25), the other unpinned ({@code waitUnpinned}). The main thread
 * holds the lock for the given ms, each waiter measures its own wait. Prints {@code pinned_ns=N unpinned_ns=M}.
 * JDK 21+.
 */
public final class PinnedVirtualWorkload {
    static final ReentrantLock LOCK = new ReentrantLock();
    static final AtomicLong PINNED = new AtomicLong();
    static final AtomicLong UNPINNED = new AtomicLong();

    /** Initialized by the pinned virtual thread: its initializer waits for the lock. */
    static final class PinnedInit {
        static {
            waitWhilePinned();
        }

        static void touch() {
            // Initializes the class.
        }
    }

    public static void main(String[] args) throws Exception {
        long holdMillis = Long.parseLong(args[0]);
        WorkloadSupport.awaitDiagInit();
        LOCK.lock();
        Thread pinned = WorkloadSupport.startVirtual(PinnedInit::touch);
        Thread unpinned = WorkloadSupport.startVirtual(PinnedVirtualWorkload::waitUnpinned);
        Thread.sleep(holdMillis);
        LOCK.unlock();
        pinned.join();
        unpinned.join();
        System.out.println("pinned_ns=" + PINNED.get() + " unpinned_ns=" + UNPINNED.get());
        System.exit(0);
    }

    static void waitWhilePinned() {
        long t0 = System.nanoTime();
        LOCK.lock();
        PINNED.addAndGet(System.nanoTime() - t0);
        LOCK.unlock();
    }

    static void waitUnpinned() {
        long t0 = System.nanoTime();
        LOCK.lock();
        UNPINNED.addAndGet(System.nanoTime() - t0);
        LOCK.unlock();
    }
}
