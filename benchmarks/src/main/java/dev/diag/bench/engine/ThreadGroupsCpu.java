package dev.diag.bench.engine;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The process's CPU time by who spends it, from the kernel's per-thread counters ({@code /proc/self/task/TID/schedstat}
 * and {@code comm}): the application's threads ({@code worker-*}), diag's ({@code diag-*}), the JIT compilers, the
 * collector and the VM thread, and the rest. Where a profiler's cost lies is then read off, not inferred from a noisy
 * total: a signal handler runs on the application's threads, parsing on diag's, compiling that parser on the JIT's.
 * Threads that end between two reads are not counted.
 */
final class ThreadGroupsCpu {
    static final String[] GROUPS = {"app", "diag", "jit", "gc", "other"};

    private ThreadGroupsCpu() {}

    /** Returns nanoseconds on a CPU so far by thread id, each prefixed with its group: "app/1234". */
    static Map<String, Long> read() {
        Map<String, Long> out = new LinkedHashMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path task : tasks) {
                try {
                    String stat = Files.readString(task.resolve("schedstat"));
                    String name = Files.readString(task.resolve("comm")).trim();
                    out.put(group(name) + "/" + task.getFileName(), Long.parseLong(stat.substring(0, stat.indexOf(' '))));
                } catch (IOException | RuntimeException e) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException e) {
            // not Linux: no groups
        }
        return out;
    }

    /** Returns {@code app=MS diag=MS jit=MS gc=MS other=MS}: each group's CPU between the two reads. */
    static String difference(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> sums = new LinkedHashMap<>();
        for (String g : GROUPS) sums.put(g, 0L);
        for (var e : after.entrySet()) {
            String group = e.getKey().substring(0, e.getKey().indexOf('/'));
            sums.merge(group, e.getValue() - before.getOrDefault(e.getKey(), 0L), Long::sum);
        }
        StringJoiner j = new StringJoiner(" ");
        sums.forEach((g, ns) -> j.add(g + "=" + ns / 1_000_000));
        return j.toString();
    }

    private static String group(String threadName) {
        if (threadName.startsWith("worker-")) return "app";
        if (threadName.startsWith("diag-")) return "diag";
        if (threadName.startsWith("C1 Compiler") || threadName.startsWith("C2 Compiler")) return "jit";
        if (threadName.startsWith("GC Thread") || threadName.startsWith("G1 ") || threadName.equals("VM Thread")) {
            return "gc";
        }
        return "other";
    }
}
