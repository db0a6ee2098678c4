package dev.diag.it.workloads;

import dev.diag.api.Labels;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs until killed, with one method a person would look for in each view: {@code viewBurner} spins on the main
 * thread (CPU, allocating nothing), {@code viewHoarder} keeps allocating and holding byte arrays (heap in use),
 * {@code viewAllocator} allocates short-lived arrays as fast as it can (allocated bytes, hardly any in use), and a
 * labelled thread spins in {@code alphaWork} under {@code worker=alpha} three times as long as in {@code betaWork}
 * under {@code worker=beta}, so that only the label tells a sample's worker.
 */
public final class ViewWorkload {
    public static final String LABEL = "worker";
    private static volatile long sink;
    private static volatile Object garbage;
    private static final List<byte[]> HELD = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        WorkloadSupport.awaitDiagInit();
        daemon("hoarder", ViewWorkload::viewHoarder);
        daemon("allocator", ViewWorkload::viewAllocator);
        daemon("labelled", ViewWorkload::labelled);
        System.out.println("ready");
        System.out.flush();
        while (true) viewBurner(200_000);
    }

    private static void daemon(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
    }

    static void viewBurner(int n) {
        long h = 1125899906842597L;
        for (int i = 0; i < n; i++) h = 31 * h + (i ^ (h >>> 7));
        sink += h;
    }

    static void viewHoarder() {
        while (true) {
            synchronized (HELD) {
                HELD.add(new byte[64 * 1024]);
                if (HELD.size() > 400) HELD.subList(0, 200).clear();
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    static void viewAllocator() {
        while (true) {
            for (int i = 0; i < 64; i++) garbage = new byte[32 * 1024];
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static void labelled() {
        while (true) {
            // Milliseconds per scope, so that few samples fall on a switch between workers.
            try (Labels.Scope s = Labels.with(LABEL, "alpha")) {
                alphaWork(3_000_000);
            }
            try (Labels.Scope s = Labels.with(LABEL, "beta")) {
                betaWork(1_000_000);
            }
        }
    }

    static void alphaWork(int n) {
        viewSpin(n);
    }

    static void betaWork(int n) {
        viewSpin(n);
    }

    private static void viewSpin(int n) {
        long h = 7;
        for (int i = 0; i < n; i++) h = 31 * h + (i ^ (h >>> 5));
        sink += h;
    }
}
