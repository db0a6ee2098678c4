package dev.diag.it.workloads;

/**
 * Waits (at most 30 s) until diag's HTTP dispatcher thread runs, prints {@code serving daemon=<its daemon flag>}, and
 * returns from main: the JVM must then exit on its own, which it cannot if any HTTP thread is not a daemon.
 */
public final class ReturnsWhenServing {
    public static void main(String[] args) throws Exception {
        WorkloadSupport.awaitDiagInit();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                if (t.getName().equals("diag-http-dispatcher")) {
                    System.out.println("serving daemon=" + t.isDaemon());
                    return;
                }
            }
            Thread.sleep(10);
        }
        System.out.println("no diag-http-dispatcher thread");
    }
}
