package dev.diag.it.workloads;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A lock workload that runs before anything attaches and knows its own waits. A {@code waiter} thread and the main
 * thread (the holder) contend on one {@code ReentrantLock} from the start ({@code contendBefore}, 5 ms holds), and a
 * {@code burner} thread spins in {@code burnCpu}. Once the file {@code args[0]} exists, the same two threads do
 * exactly {@value #ROUNDS} rounds in {@code contendAfter} (20 ms holds); the waiter measures each wait itself, then
 * the program prints {@code waited_ns=SUM} and {@code rounds=N}, waits (at most 60 s) for the file {@code args[1]},
 * and exits with {@value #EXIT_CODE}.
 */
public final class LockTarget {
    public static final int EXIT_CODE = 5;
    public static final int ROUNDS = 25;

    private static final ReentrantLock LOCK = new ReentrantLock();
    /** Round handshake without parking (sleep polls): the holder announces a round, the waiter reports it done. */
    private static volatile int announced;
    private static volatile int finished;
    private static volatile boolean after;
    private static volatile boolean stop;
    private static long waitedNanos;
    static volatile long sink;

    public static void main(String[] args) throws Exception {
        Path go = Path.of(args[0]);
        Path exit = Path.of(args[1]);
        Thread burner = new Thread(LockTarget::burnCpu, "burner");
        burner.setDaemon(true);
        burner.start();
        Thread waiter = new Thread(LockTarget::waiterLoop, "waiter");
        waiter.start();
        System.out.println("ready");
        System.out.flush();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.exists(go) && System.nanoTime() < deadline) holdOneRound(5);
        after = true;
        for (int i = 0; i < ROUNDS; i++) holdOneRound(20);
        stop = true;
        holdOneRound(0); // releases the waiter from its last handshake
        waiter.join();
        System.out.println("waited_ns=" + waitedNanos);
        System.out.println("rounds=" + ROUNDS);
        System.out.flush();
        while (!Files.exists(exit) && System.nanoTime() < deadline + TimeUnit.SECONDS.toNanos(60)) Thread.sleep(10);
        System.exit(EXIT_CODE);
    }

    /** Takes the lock, lets the waiter block on it for {@code holdMs}, and waits until the waiter has had it. */
    private static void holdOneRound(long holdMs) throws InterruptedException {
        int round;
        LOCK.lock();
        try {
            round = ++announced;
            Thread.sleep(holdMs); // not a block event (Go does not count time.Sleep either)
        } finally {
            LOCK.unlock();
        }
        while (finished < round && !stop) Thread.sleep(1);
    }

    private static void waiterLoop() {
        int seen = 0;
        while (!stop) {
            while (announced == seen && !stop) pause();
            if (stop) break;
            seen = announced;
            boolean counted = after;
            long waited = counted ? contendAfter() : contendBefore();
            if (counted) waitedNanos += waited;
            finished = seen;
        }
    }

    /** Polls without parking (a park would be a block event of its own) and without taking a core. */
    private static void pause() {
        try {
            Thread.sleep(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static long contendBefore() {
        LOCK.lock();
        LOCK.unlock();
        return 0;
    }

    /** Returns how long this lock() waited, measured here: the truth the block profile must match. */
    static long contendAfter() {
        long start = System.nanoTime();
        LOCK.lock();
        long waited = System.nanoTime() - start;
        LOCK.unlock();
        return waited;
    }

    static void burnCpu() {
        long x = 1;
        while (true) {
            for (int i = 0; i < 1_000_000; i++) x = x * 6364136223846793005L + 1442695040888963407L;
            sink = x;
        }
    }
}
