package dev.diag.attach;

import dev.diag.base.DiagThreads;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Keeps {@link AgentProperties#COUNTERS} current: every second a {@code diag-status} thread reads
 * the agent's counters and republishes them when they changed, so {@code java -jar diag.jar status PID} can read
 * live counters over the attach connection without loading code into the target. Costs one wake-up per second.
 */
public final class StatusPublisher {
    static final long PERIOD_MS = 1000;

    private StatusPublisher() {}

    /** Publishes the counters now and starts refreshing them every second until the JVM exits. */
    public static void start(Map<String, LongSupplier> counters) {
        refresh(counters);
        DiagThreads.start("status", () -> {
            try {
                while (true) {
                    TimeUnit.MILLISECONDS.sleep(PERIOD_MS);
                    refresh(counters);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    /** Publishes the counters now (the agent calls it when start-up has registered them). */
    public static void refresh(Map<String, LongSupplier> counters) {
        String text = AgentProperties.counterText(counters);
        if (!text.equals(System.getProperty(AgentProperties.COUNTERS))) {
            System.setProperty(AgentProperties.COUNTERS, text);
        }
        System.setProperty(AgentProperties.COUNTERS_TIME, Long.toString(System.currentTimeMillis()));
    }
}
