package dev.diag.it.workloads;

import java.util.ArrayList;
import java.util.List;

/**
 * Keeps {@value #MARKERS} {@link Marker} objects reachable and prints {@code ready}; then, with {@code args[0]}
 * {@code oom}, allocates until the heap is full ({@code OutOfMemoryError}), else waits {@code args[1]} ms.
 */
public final class HeapDumpWorkload {
    public static final int MARKERS = 1234;
    static final List<Object> KEPT = new ArrayList<>();

    /** An object only this workload makes, to be counted in the dump. */
    public static final class Marker {
        final int n;

        Marker(int n) {
            this.n = n;
        }
    }

    public static void main(String[] args) throws Exception {
        WorkloadSupport.awaitDiagInit();
        for (int i = 0; i < MARKERS; i++) KEPT.add(new Marker(i));
        System.out.println("ready");
        if (args[0].equals("oom")) {
            while (true) KEPT.add(new long[100_000]);
        }
        Thread.sleep(Long.parseLong(args[1]));
    }
}
