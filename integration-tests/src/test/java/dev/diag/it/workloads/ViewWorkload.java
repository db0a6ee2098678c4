package dev.diag.it.workloads;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs until killed: {@code viewBurner} spins on one thread and {@code viewHoarder} keeps allocating and holding
 * byte arrays, so a CPU profile and a heap profile each have one method a person would look for in the viewer.
 */
public final class ViewWorkload {
    private static volatile long sink;
    private static final List<byte[]> HELD = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        WorkloadSupport.awaitDiagInit();
        Thread hoarder = new Thread(ViewWorkload::viewHoarder, "hoarder");
        hoarder.setDaemon(true);
        hoarder.start();
        System.out.println("ready");
        System.out.flush();
        while (true) viewBurner(200_000);
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
}
