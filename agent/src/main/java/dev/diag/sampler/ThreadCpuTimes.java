package dev.diag.sampler;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Each thread's CPU time so far, by OS thread id, as the kernel keeps it ({@code /proc/self/task/TID/schedstat}, its
 * first field: nanoseconds on a CPU). Read when a recording starts and stops, so that a thread's CPU samples can be
 * weighed to add up to its CPU time. Linux only, like the native sampler; empty where it cannot be read.
 */
final class ThreadCpuTimes {
    private static final Path TASKS = Path.of("/proc/self/task");

    private ThreadCpuTimes() {}

    /** Returns every live thread's CPU nanoseconds by OS thread id; empty when the kernel does not tell. */
    static Map<Long, Long> read() {
        Map<Long, Long> cpu = new HashMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(TASKS)) {
            for (Path task : tasks) {
                Long nanos = nanosOf(task);
                if (nanos != null) cpu.put(Long.parseLong(task.getFileName().toString()), nanos);
            }
        } catch (IOException | RuntimeException e) {
            return Map.of();
        }
        return cpu;
    }

    /**
     * Returns {@code counts} with the calling thread's entry replaced by its CPU time now (left out when the kernel
     * does not tell).
     */
    static Map<Long, Long> withCurrentThreadNow(Map<Long, Long> counts) {
        Map<Long, Long> out = new HashMap<>(counts);
        try {
            Path self = Path.of("/proc/thread-self").toRealPath();
            long tid = Long.parseLong(self.getFileName().toString());
            Long nanos = nanosOf(self);
            if (nanos != null) out.put(tid, nanos);
            else out.remove(tid);
        } catch (IOException | RuntimeException e) {
            // no /proc/thread-self (Linux before 3.17): the rotating thread keeps its count at the previous stop
        }
        return out;
    }

    private static Long nanosOf(Path task) {
        try {
            String stat = Files.readString(task.resolve("schedstat"));
            int end = stat.indexOf(' ');
            return end > 0 ? Long.parseLong(stat.substring(0, end)) : null;
        } catch (IOException | RuntimeException e) {
            return null; // the thread ended meanwhile, or the kernel keeps no schedstat
        }
    }
}
