package dev.diag.agent;

import dev.diag.pprof.ProfileData;
import dev.diag.pprof.ProfileEncoder;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.function.Function;

/**
 * Writes profiles to {@code out=DIR} as {@code <name>.pb.gz}: to a temporary file first, then renamed, so a reader
 * sees a whole file or none.
 */
public final class ProfileFiles {
    private final Path dir;

    public ProfileFiles(Path dir) {
        this.dir = dir;
    }

    /** Creates the directory; returns false (after one {@code diag:} line) when it cannot be used. */
    public boolean prepare() {
        try {
            Files.createDirectories(dir);
            Path probe = Files.createTempFile(dir, ".diag-", ".tmp");
            Files.delete(probe);
            return true;
        } catch (IOException | RuntimeException e) {
            Log.error("cannot write profiles to " + dir + ": " + e.getMessage() + "; out= is off");
            return false;
        }
    }

    /** Writes each named profile taken from {@code source} (null means skip); one failure does not stop the rest. */
    public void writeAll(Iterable<String> names, Function<String, ProfileData> source) {
        for (String name : names) {
            try {
                ProfileData data = source.apply(name);
                if (data != null) write(name + ".pb.gz", data);
            } catch (Throwable e) {
                Log.error("cannot write " + name + " profile: " + e);
            }
        }
    }

    /** Writes one profile file atomically. */
    public void write(String fileName, ProfileData data) throws IOException {
        Path target = dir.resolve(fileName);
        Path tmp = Files.createTempFile(dir, "." + fileName, ".tmp");
        try {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                ProfileEncoder.write(data, out);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
