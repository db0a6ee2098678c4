package dev.diag.sampler;

import dev.diag.jfr.ExitedThreadCounters;

import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.Map;

/**
 * Each thread's allocated bytes so far, by Java thread id, as the JVM counts them (HotSpot's per-thread counter, TLAB
 * bytes included as they are used). Read when a recording starts and stops, so that a thread's allocation samples can
 * be weighed to add up to what it allocated in between; empty where the JVM does not tell.
 */
final class ThreadAllocatedBytes {
    private ThreadAllocatedBytes() {}

    /** Returns every live thread's allocated bytes by Java thread id; empty when the JVM does not tell. */
    static Map<Long, Long> read() {
        try {
            if (!(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean threads)
                    || !threads.isThreadAllocatedMemorySupported() || !threads.isThreadAllocatedMemoryEnabled()) {
                return Map.of();
            }
            long[] ids = threads.getAllThreadIds();
            long[] bytes = threads.getThreadAllocatedBytes(ids);
            Map<Long, Long> out = new HashMap<>(ids.length * 2);
            for (int i = 0; i < ids.length; i++) {
                if (bytes[i] >= 0) out.put(ids[i], bytes[i]); // -1: the thread ended meanwhile
            }
            return out;
        } catch (RuntimeException | LinkageError e) {
            return Map.of();
        }
    }

    /** Returns {@code counts} with the calling thread's entry replaced by its allocated bytes now. */
    static Map<Long, Long> withCurrentThreadNow(Map<Long, Long> counts) {
        Map<Long, Long> out = new HashMap<>(counts);
        try {
            if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean threads) {
                long id = Thread.currentThread().getId();
                long bytes = threads.getThreadAllocatedBytes(id);
                if (bytes >= 0) out.put(id, bytes);
            }
        } catch (RuntimeException | LinkageError e) {
            // the rotating thread keeps its count at the previous stop
        }
        return out;
    }

    /**
     * Returns, for each thread with allocation samples, what to multiply its samples' scaled bytes by so that they add
     * up to the bytes the thread allocated over the recording: {@code allocated / sampled}. A thread that was not alive
     * when the recording started had allocated nothing then; one that ended before it stopped left its count behind
     * ({@link ExitedThreadCounters}). A thread whose count at the stop is unknown is left out, and its samples keep
     * their scaled values (Go's unbiased estimate).
     *
     * @param sampledBytes the sum of each thread's samples' scaled bytes, by Java thread id
     * @param atStart      every live thread's count at the start; empty when it could not be read (then: no factors)
     * @param atStop       every live thread's count at the stop
     */
    static Map<Long, Double> factors(Map<Long, Double> sampledBytes, Map<Long, Long> atStart, Map<Long, Long> atStop) {
        Map<Long, Double> out = new HashMap<>();
        if (atStart.isEmpty()) return out;
        for (Map.Entry<Long, Double> e : sampledBytes.entrySet()) {
            long id = e.getKey();
            Long stop = atStop.get(id);
            long end = stop != null ? stop : ExitedThreadCounters.INSTANCE.allocatedBytes(id);
            if (end < 0 || e.getValue() <= 0) continue;
            long allocated = end - atStart.getOrDefault(id, 0L);
            if (allocated > 0) out.put(id, allocated / e.getValue());
        }
        return out;
    }
}
