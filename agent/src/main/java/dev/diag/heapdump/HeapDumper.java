package dev.diag.heapdump;

import com.sun.management.HotSpotDiagnosticMXBean;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Heap dumps on demand (Go's {@code debug.WriteHeapDump}): the JVM writes an HPROF file, the JDK's own format that
 * every Java heap analyser reads, into a directory only this user can read, since a dump holds every secret in the
 * heap. One at a time: a dump pauses the JVM for about a second per GiB of heap.
 */
public final class HeapDumper {
    private static final AtomicBoolean BUSY = new AtomicBoolean();

    private HeapDumper() {}

    /** A dump on disk; {@link #close} deletes it and its directory. */
    public static final class Dump implements AutoCloseable {
        private final Path dir;
        private final Path file;

        private Dump(Path dir, Path file) {
            this.dir = dir;
            this.file = file;
        }

        public Path file() {
            return file;
        }

        @Override
        public void close() throws IOException {
            try {
                Files.deleteIfExists(file);
            } finally {
                Files.deleteIfExists(dir);
                BUSY.set(false);
            }
        }
    }

    /**
     * Writes a heap dump into a new owner-only temporary directory; {@code live}: only reachable objects (the JVM
     * collects first). Returns null while another dump is being written.
     *
     * @throws IOException the JVM could not write it (no space, no HotSpot diagnostic bean)
     */
    public static Dump write(boolean live) throws IOException {
        if (!BUSY.compareAndSet(false, true)) return null;
        Path dir = null;
        try {
            dir = Files.createTempDirectory("diag-heapdump-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Path file = dir.resolve("heap.hprof"); // the JVM refuses to overwrite: the directory is new
            ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class).dumpHeap(file.toString(), live);
            return new Dump(dir, file);
        } catch (IOException | RuntimeException e) {
            if (dir != null) {
                try (var files = Files.list(dir)) {
                    for (Path p : (Iterable<Path>) files::iterator) Files.deleteIfExists(p);
                }
                Files.deleteIfExists(dir);
            }
            BUSY.set(false);
            throw e instanceof IOException io ? io : new IOException(e.getMessage(), e);
        }
    }
}
