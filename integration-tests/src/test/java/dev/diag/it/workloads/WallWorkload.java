package dev.diag.it.workloads;

/**
 * A thread that is slow but not busy: for {@code args[0]} ms it waits 20-40 ms in {@code awaitReply} (a sleep, as a
 * blocking call would) and computes 5-15 ms in {@code render}, measuring the wall time of each; prints
 * {@code truth awaitReply=S render=S} (shares of their sum) and exits. With {@code args[1]}, then stays alive that
 * many ms (for HTTP windows), doing the same. The lengths are drawn at random so that the work has no period a
 * sampler could alias with.
 */
public final class WallWorkload {
    private static final java.util.Random RANDOM = new java.util.Random();
    private static volatile long sink;

    public static void main(String[] args) throws Exception {
        WorkloadSupport.awaitDiagInit();
        long[] wall = new long[2];
        run(Long.parseLong(args[0]), wall);
        double total = wall[0] + wall[1];
        System.out.printf("truth awaitReply=%.4f render=%.4f%n", wall[0] / total, wall[1] / total);
        System.out.flush();
        if (args.length > 1) run(Long.parseLong(args[1]), new long[2]);
    }

    private static void run(long millis, long[] wall) throws InterruptedException {
        long end = System.nanoTime() + millis * 1_000_000L;
        while (System.nanoTime() < end) {
            long t0 = System.nanoTime();
            awaitReply(20 + RANDOM.nextInt(21));
            long t1 = System.nanoTime();
            render(5_000_000L + RANDOM.nextInt(10_000_001));
            long t2 = System.nanoTime();
            wall[0] += t1 - t0;
            wall[1] += t2 - t1;
        }
    }

    static void awaitReply(int millis) throws InterruptedException {
        Thread.sleep(millis);
    }

    static void render(long nanos) {
        long end = System.nanoTime() + nanos;
        long h = 7;
        while (System.nanoTime() < end) {
            for (int i = 0; i < 1000; i++) h = 31 * h + (i ^ (h >>> 7));
        }
        sink = h;
    }
}
