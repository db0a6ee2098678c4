package dev.diag.it.workloads;

import java.util.concurrent.TimeUnit;

/**
 * Exits with {@link #EXIT_CODE} after {@code args[0]} ms, or, with {@code jfr}, the moment JFR finishes initialising
 * (diag is then in the middle of starting its stream, and JFR's own shutdown hook races diag's): the exit that once
 * hung the JVM for good.
 */
public final class ExitsWhenJfrStarts {
    public static final int EXIT_CODE = 7;

    public static void main(String[] args) throws Exception {
        if (args[0].equals("jfr")) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!jdk.jfr.FlightRecorder.isInitialized() && System.nanoTime() < deadline) Thread.onSpinWait();
        } else {
            Thread.sleep(Long.parseLong(args[0]));
        }
        System.out.println("exiting");
        System.exit(EXIT_CODE);
    }
}
