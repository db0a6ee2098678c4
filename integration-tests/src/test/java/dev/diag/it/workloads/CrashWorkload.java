package dev.diag.it.workloads;

import java.util.ArrayList;
import java.util.List;

/**
 * Dies in the way {@code args[0]} names, once diag has started and a thread {@code napper} sleeps in
 * {@code napForever}: {@code throw} (main ends with an uncaught {@code IllegalStateException} from
 * {@code failInMain}), {@code oom} (a thread {@code hog} fills the heap in {@code hogMemory}), {@code sleep} (main
 * sleeps too, waiting for a signal). Prints {@code ready} first.
 */
public final class CrashWorkload {
    static final List<long[]> HOARD = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        WorkloadSupport.awaitDiagInit();
        Thread napper = new Thread(CrashWorkload::napForever, "napper");
        napper.setDaemon(true);
        napper.start();
        // Until it sleeps: on a loaded machine a started thread can take seconds to run its first line, and the dump
        // would show it runnable, without a stack.
        while (napper.getState() != Thread.State.TIMED_WAITING) Thread.sleep(1);
        System.out.println("ready");
        System.out.flush();
        switch (args[0]) {
            case "throw" -> failInMain();
            case "oom" -> {
                Thread hog = new Thread(CrashWorkload::hogMemory, "hog");
                hog.start();
                hog.join();
            }
            default -> Thread.sleep(120_000);
        }
    }

    static void failInMain() {
        throw new IllegalStateException("boom");
    }

    static void hogMemory() {
        while (true) HOARD.add(new long[100_000]);
    }

    static void napForever() {
        try {
            Thread.sleep(Long.MAX_VALUE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
