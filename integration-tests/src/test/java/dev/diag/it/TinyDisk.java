package dev.diag.it;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A 64 KiB tmpfs mounted for one test: full (a filler file takes every block, so creating a file works and writing
 * one fails with "No space left on device", as on a real full disk) or read-only. Mounting needs root, as CI runs;
 * elsewhere the test is skipped.
 *
 * <pre>{@code
 * try (TinyDisk disk = TinyDisk.full(dir.resolve("disk"))) { ... disk.makeRoom(); ... }
 * }</pre>
 */
public final class TinyDisk implements AutoCloseable {
    public final Path dir;
    private final Path filler;

    private TinyDisk(Path dir, Path filler) {
        this.dir = dir;
        this.filler = filler;
    }

    /** Mounts a tmpfs at {@code dir} and fills it; skips the test when this user cannot mount. */
    public static TinyDisk full(Path dir) throws IOException, InterruptedException {
        mount(dir, "size=64k");
        Path filler = dir.resolve("filler");
        try (OutputStream out = Files.newOutputStream(filler)) {
            byte[] block = new byte[4096];
            while (true) out.write(block);
        } catch (IOException e) {
            // Full: what the test wants.
        }
        return new TinyDisk(dir, filler);
    }

    /** Mounts an empty read-only tmpfs at {@code dir}; skips the test when this user cannot mount. */
    public static TinyDisk readOnly(Path dir) throws IOException, InterruptedException {
        mount(dir, "ro,size=64k");
        return new TinyDisk(dir, null);
    }

    /** Deletes the filler: the disk has room again. */
    public void makeRoom() throws IOException {
        Files.delete(filler);
    }

    private static void mount(Path dir, String options) throws IOException, InterruptedException {
        assumeTrue("root".equals(System.getProperty("user.name")), "mounting a tmpfs needs root (CI runs as root)");
        Files.createDirectories(dir);
        assumeTrue(run("mount", "-t", "tmpfs", "-o", options, "tmpfs", dir.toString()) == 0, "mount -t tmpfs failed");
    }

    private static int run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(List.of(cmd)).redirectErrorStream(true).start();
        p.getInputStream().transferTo(OutputStream.nullOutputStream());
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }

    @Override
    public void close() throws IOException, InterruptedException {
        if (run("umount", dir.toString()) != 0) run("umount", "-l", dir.toString()); // lazily, if a JVM still holds it
    }
}
