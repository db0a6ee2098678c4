package dev.diag.hook;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The operating system's id of the calling thread (Linux: the {@code tid} in {@code /proc/self/task}), which native
 * samplers record, where a Java thread id can be missing or wrong: what ties a label change to the samples of its
 * thread. Read once per thread, at its first label.
 */
public final class NativeThreadIds {
    private static final Path SELF = Path.of("/proc/thread-self");

    private NativeThreadIds() {}

    /** Returns the calling thread's OS id, or -1 where the OS does not tell (not Linux). */
    public static long current() {
        try {
            Path link = Files.readSymbolicLink(SELF); // "<pid>/task/<tid>"
            return Long.parseLong(link.getFileName().toString());
        } catch (Throwable e) {
            return -1;
        }
    }
}
