package dev.diag.it.workloads;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Burns CPU in three methods about 6:3:1 for {@code args[0]} ms on one thread, measuring each method's own CPU time,
 * then prints {@code truth burnSix=S burnThree=T burnOne=O cpu_ns=C} (shares of their sum, and the sum: on a busy
 * machine the thread gets less CPU than the run's wall time) and exits.
 *
 * <p>Which method runs next is drawn at random (60/30/10 %) and each call lasts about a millisecond, so the work has
 * no period a sampler could alias with.
 */
public final class CpuSplitWorkload {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static volatile long sink;

    public static void main(String[] args) throws Exception {
        WorkloadSupport.awaitDiagInit();
        long millis = Long.parseLong(args[0]);
        long[] cpu = new long[3];
        long end = System.nanoTime() + millis * 1_000_000L;
        ThreadLocalRandom random = ThreadLocalRandom.current();
        while (System.nanoTime() < end) {
            int r = random.nextInt(10);
            int which = r < 6 ? 0 : r < 9 ? 1 : 2;
            int work = 150_000 + random.nextInt(100_000);
            long before = THREADS.getCurrentThreadCpuTime();
            if (which == 0) burnSix(work);
            else if (which == 1) burnThree(work);
            else burnOne(work);
            cpu[which] += THREADS.getCurrentThreadCpuTime() - before;
        }
        double total = cpu[0] + cpu[1] + cpu[2];
        System.out.printf("truth burnSix=%.4f burnThree=%.4f burnOne=%.4f cpu_ns=%.0f%n",
                cpu[0] / total, cpu[1] / total, cpu[2] / total, total);
        System.out.println("checksum " + sink);
    }

    static void burnSix(int n) { sink += spin(n); }

    static void burnThree(int n) { sink += spin(n); }

    static void burnOne(int n) { sink += spin(n); }

    private static long spin(int n) {
        long h = 1125899906842597L;
        for (int i = 0; i < n; i++) h = 31 * h + (i ^ (h >>> 7));
        return h;
    }
}
