package dev.diag.it.workloads;

/** What workloads share: waiting until diag's asynchronous start-up is done, so hooks see the whole workload. */
public final class WorkloadSupport {
    private WorkloadSupport() {}

    /** Waits (at most 30 s) until no {@code diag-init} thread is alive and one has existed or 2 s have passed. */
    public static void awaitDiagInit() throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        long graceEnd = System.nanoTime() + 2_000_000_000L;
        boolean seen = false;
        while (System.nanoTime() < deadline) {
            boolean alive = false;
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                if (t.getName().equals("diag-init")) alive = true;
            }
            seen |= alive;
            if (!alive && (seen || System.nanoTime() > graceEnd)) return;
            Thread.sleep(10);
        }
    }

    /**
     * Waits (at most 30 s) until a running JFR recording in this JVM has {@code setting} (e.g.
     * {@code jdk.ExecutionSample#period}): JFR starts seconds after {@code main} on a loaded machine, and a workload
     * that checks what JFR reports must not begin before JFR records it. Call only where diag runs JFR anyway.
     */
    public static void awaitJfrSetting(String setting) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            for (jdk.jfr.Recording r : jdk.jfr.FlightRecorder.getFlightRecorder().getRecordings()) {
                if (r.getState() == jdk.jfr.RecordingState.RUNNING && r.getSettings().containsKey(setting)) return;
            }
            Thread.sleep(10);
        }
    }
}
