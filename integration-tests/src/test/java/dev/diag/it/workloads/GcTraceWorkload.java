package dev.diag.it.workloads;

import javax.management.NotificationEmitter;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Known collections for {@code gctrace=1}: calls {@code System.gc()} {@code args[0]} times, prints {@code ready}, waits
 * (at most 60 s) for the file {@code args[2]} when given (the test attaches diag meanwhile), then {@code args[1]} times
 * allocates 48 MiB of short-lived 64 KiB arrays (young collections; nothing lives long enough to start a concurrent
 * cycle) and calls {@code System.gc()}. Before exiting it waits until every collection the JVM counted has been
 * notified to the listeners (diag's listens before this workload's, so its lines are out by then) and prints
 * {@code collections=N}, the JVM's own count.
 */
public final class GcTraceWorkload {
    static volatile Object sink;

    public static void main(String[] args) throws Exception {
        for (int i = 0; i < Integer.parseInt(args[0]); i++) System.gc();
        System.out.println("ready");
        System.out.flush();
        if (args.length > 2) awaitFile(Path.of(args[2]));

        AtomicLong notified = new AtomicLong();
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            ((NotificationEmitter) gc).addNotificationListener((n, h) -> notified.incrementAndGet(), null, null);
        }
        long counted = collections();
        for (int round = 0; round < Integer.parseInt(args[1]); round++) {
            for (int i = 0; i < 768; i++) sink = new byte[64 * 1024];
            System.gc();
        }
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (collections() - counted > notified.get() && System.nanoTime() < deadline) Thread.sleep(10);
        System.out.println("collections=" + collections());
    }

    private static long collections() {
        long n = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) n += gc.getCollectionCount();
        return n;
    }

    private static void awaitFile(Path p) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!Files.exists(p) && System.nanoTime() < deadline) Thread.sleep(10);
    }
}
