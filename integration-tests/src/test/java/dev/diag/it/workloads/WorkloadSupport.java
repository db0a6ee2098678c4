package dev.diag.it.workloads;

/**
 * What workloads share: waiting until diag's asynchronous start-up is done, so hooks see the whole workload; starting a
 * virtual thread from code compiled for JDK 17.
 */
public final class WorkloadSupport {
    private WorkloadSupport() {}

    /**
     * Waits (at most 60 s) until diag's start-up has ended, when diag started in this JVM as its {@code -javaagent}:
     * its {@code premain} publishes {@code dev.diag.version} before {@code main} runs, and {@code dev.diag.started}
     * once every feature has started. Returns at once without diag (a JVM that a test attaches to later, a baseline
     * run, options diag refused). No grace period to guess with: on a loaded machine diag's start can take seconds,
     * and a workload that began before it would be measured in part.
     */
    public static void awaitDiagInit() throws InterruptedException {
        boolean diagStarting = System.getProperty("dev.diag.version") != null;
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (diagStarting && System.getProperty("dev.diag.started") == null && System.nanoTime() < deadline) {
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

    /** Starts a virtual thread through reflection: this module compiles for Java 17. */
    public static Thread startVirtual(Runnable body) {
        try {
            return (Thread) Thread.class.getMethod("startVirtualThread", Runnable.class).invoke(null, body);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("virtual threads need JDK 21+", e);
        }
    }
}
