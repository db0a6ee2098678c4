package dev.diag.it.workloads;

import dev.diag.api.Labels;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Four virtual threads labelled {@code vt=a}, {@code b}, {@code c} and {@code d} do 1, 2, 3 and 4 parts of the same
 * work, in chunks of the same size; after each chunk a thread yields, and after every fifth it sleeps a millisecond,
 * so that it leaves its carrier hundreds of times and comes back on either one; every third chunk also does a quarter
 * chunk inside a {@code synchronized} block all four contend for (on JDK 24+ a virtual thread blocked there leaves
 * its carrier too). JDK 21+. Prints
 * {@code truth a=A b=B c=C d=D}: each thread's share of the chunks done (equal chunks, so equal CPU each), and exits.
 */
public final class VirtualLabelsWorkload {
    private static final String[] NAMES = {"a", "b", "c", "d"};
    private static final int CHUNK = 200_000;
    private static final Object LOCK = new Object();
    private static volatile long sink;

    public static void main(String[] args) throws Exception {
        WorkloadSupport.awaitDiagInit();
        int parts = Integer.parseInt(args[0]);
        AtomicLongArray done = new AtomicLongArray(NAMES.length);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < NAMES.length; i++) {
            int which = i;
            threads.add(WorkloadSupport.startVirtual(() -> {
                try (Labels.Scope s = Labels.with("vt", NAMES[which])) {
                    for (int c = 1; c <= (which + 1) * parts; c++) {
                        spinVirtualChunk(CHUNK);
                        if (c % 3 == 0) {
                            synchronized (LOCK) {
                                spinVirtualChunk(CHUNK / 4);
                            }
                        }
                        done.incrementAndGet(which);
                        if (c % 5 == 0) sleepAMillisecond();
                        else Thread.yield();
                    }
                }
            }));
        }
        for (Thread t : threads) t.join();
        long total = 0;
        for (int i = 0; i < NAMES.length; i++) total += done.get(i);
        StringBuilder truth = new StringBuilder("truth");
        for (int i = 0; i < NAMES.length; i++) {
            truth.append(String.format(" %s=%.4f", NAMES[i], done.get(i) / (double) total));
        }
        System.out.println(truth);
        System.out.println("checksum " + sink);
    }

    private static void sleepAMillisecond() {
        try {
            Thread.sleep(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void spinVirtualChunk(int n) {
        long h = 11;
        for (int i = 0; i < n; i++) h = 31 * h + (i ^ (h >>> 5));
        sink += h;
    }
}
