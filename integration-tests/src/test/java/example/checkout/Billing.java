package example.checkout;

import dev.diag.api.Traced;
import io.opentelemetry.instrumentation.annotations.WithSpan;

/**
 * Application code with span annotations, outside {@code dev.diag} (diag never instruments its own packages). Each
 * method busy-works for a known time and records what it measured; {@link #MEASURED} is printed at the end, never
 * inside a region (the first string concatenation of a JVM can take tens of milliseconds).
 */
public final class Billing {
    private static volatile long sink;
    /** Region name to the nanoseconds the workload measured for it. */
    public static final java.util.Map<String, Long> MEASURED = new java.util.concurrent.ConcurrentHashMap<>();

    private Billing() {}

    @Traced("chargeCard")
    public static void chargeCard() {
        long t0 = System.nanoTime();
        spin(40);
        MEASURED.put("chargeCard", System.nanoTime() - t0);
    }

    @Traced
    public static void computeTotals() {
        long t0 = System.nanoTime();
        spin(25);
        MEASURED.put("Billing.computeTotals", System.nanoTime() - t0);
    }

    @WithSpan("sendReceipt")
    public static void sendReceipt() {
        long t0 = System.nanoTime();
        spin(15);
        MEASURED.put("sendReceipt", System.nanoTime() - t0);
    }

    /** Prints every measurement as {@code region NAME NANOS}. */
    public static void printMeasured() {
        MEASURED.forEach((name, nanos) -> System.out.println("region " + name + " " + nanos));
    }

    /** Burns CPU for {@code millis}, measured by the clock, not by iterations. */
    public static void spin(long millis) {
        long end = System.nanoTime() + millis * 1_000_000;
        long x = 0;
        while (System.nanoTime() < end) x += x * 31 + 7;
        sink = x;
    }
}
