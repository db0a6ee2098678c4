package dev.diag.base;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * How diag writes every file it leaves behind (profiles, traces): whole or not at all, readable by its owner only.
 *
 * <p>The content goes to a temporary file in the target's own directory (so the rename cannot cross file systems),
 * created with mode 0600 (profiles and traces hold stacks, thread names and labels), synced, then renamed over the
 * target: a reader sees the old file or the new one, and a crash right after the rename cannot leave an empty file.
 * On any failure the temporary file is deleted, so a full disk leaves nothing behind.
 */
public final class AtomicFile {
    /** Writes a file's bytes. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    private AtomicFile() {}

    /** Writes {@code target} whole from {@code content}, replacing any file there. */
    public static void write(Path target, Content content) throws IOException {
        Path file = target.toAbsolutePath();
        Path tmp = Files.createTempFile(file.getParent(), "." + file.getFileName() + ".", ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 64 * 1024);
                content.writeTo(out);
                out.flush();
                channel.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            deleteQuietly(tmp); // gone after the rename; after a failure, the partial file
        }
    }

    /**
     * Checks that files can be created in {@code dir} now (it exists, is a directory, is writable, its file system
     * is not read-only), by creating and deleting a temporary file: a failure found at start-up, not at exit.
     */
    public static void checkWritable(Path dir) throws IOException {
        Files.delete(Files.createTempFile(dir.toAbsolutePath(), ".diag-", ".tmp"));
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException | RuntimeException e) {
            // Nothing more to do: the write's own failure is what the caller reports.
        }
    }
}
