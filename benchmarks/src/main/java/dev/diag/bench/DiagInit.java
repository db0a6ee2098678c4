package dev.diag.bench;

/** Waits for diag's start-up, so that a benchmark measures the steady state. */
public final class DiagInit {
    private DiagInit() {}

    /**
     * Waits until diag's {@code diag-init} thread is gone (at most 30 s); without the agent, returns after a 2 s grace
     * in which the thread would have appeared.
     */
    public static void await() throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        long grace = System.nanoTime() + 2_000_000_000L;
        boolean seen = false;
        while (System.nanoTime() < deadline) {
            boolean alive = false;
            for (Thread t : Thread.getAllStackTraces().keySet()) alive |= t.getName().equals("diag-init");
            seen |= alive;
            if (!alive && (seen || System.nanoTime() > grace)) return;
            Thread.sleep(10);
        }
    }
}
