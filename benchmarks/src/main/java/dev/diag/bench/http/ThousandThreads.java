package dev.diag.bench.http;

import java.util.concurrent.CountDownLatch;

/**
 * The application the HTTP benchmark profiles: 1,000 platform threads parked at a stack 20 frames deep, plus a
 * thread that allocates steadily, so goroutine and heap profiles have real work. Runs until killed.
 */
public final class ThousandThreads {
    private static final CountDownLatch NEVER = new CountDownLatch(1);
    static volatile Object sink;

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        for (int i = 0; i < n; i++) {
            Thread t = new Thread(() -> descend(20), "parked-" + i);
            t.setDaemon(true);
            t.start();
        }
        Thread alloc = new Thread(() -> {
            while (true) {
                sink = new byte[1024 + (int) (System.nanoTime() & 1023)];
                if ((System.nanoTime() & 0xfff) == 0) Thread.yield();
            }
        }, "allocator");
        alloc.setDaemon(true);
        alloc.start();
        System.out.println("threads=" + n);
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }

    static void descend(int depth) {
        if (depth > 0) {
            descend(depth - 1);
            return;
        }
        try {
            NEVER.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
