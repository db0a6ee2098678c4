package example.threads;

import java.lang.management.ManagementFactory;

/**
 * A {@code Thread} subclass whose {@code run()} does its own work and never calls {@code super.run()}, as many
 * applications' threads do. Outside {@code dev.diag}, which diag never hooks.
 */
public final class SpinningThread extends Thread {
    private final int n;
    private volatile long sink;
    private volatile long cpuNanos;

    public SpinningThread(String name, int n) {
        super(name);
        this.n = n;
    }

    @Override
    public void run() {
        spinInSubclass(n);
        cpuNanos = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    }

    /** The CPU time this thread had spent when its work was done. */
    public long cpuNanos() {
        return cpuNanos;
    }

    private void spinInSubclass(int n) {
        long h = 3;
        for (int i = 0; i < n; i++) h = 31 * h + (i ^ (h >>> 3));
        sink += h;
    }
}
