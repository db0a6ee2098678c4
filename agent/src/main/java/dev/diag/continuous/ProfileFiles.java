package dev.diag.continuous;

import dev.diag.base.AtomicFile;
import dev.diag.base.FileErrors;
import dev.diag.base.Log;
import dev.diag.pprof.ProfileData;
import dev.diag.pprof.ProfileEncoder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Writes profiles to {@code out=DIR} as {@code <name>.pb.gz}, each with {@link AtomicFile}: whole or not at all,
 * mode 0600.
 */
public final class ProfileFiles {
    private final Path dir;

    public ProfileFiles(Path dir) {
        this.dir = dir;
    }

    /** Returns the directory profiles go to. */
    public Path dir() {
        return dir;
    }

    /** Creates the directory; returns false (after one {@code diag:} line) when it cannot be used. */
    public boolean prepare() {
        try {
            Files.createDirectories(dir);
            AtomicFile.checkWritable(dir);
            return true;
        } catch (IOException | RuntimeException e) {
            Log.error("cannot write profiles to " + Log.abbreviate(dir) + ": " + FileErrors.describe(e) + "; out= is off");
            return false;
        }
    }

    /**
     * Writes each named profile taken from {@code source} (null means skip); one failure does not stop the rest, and
     * all failures make one line naming what was not written, by cause.
     */
    public void writeAll(Iterable<String> names, Function<String, ProfileData> source) {
        writeAll(names, source, name -> { });
    }

    /** As {@link #writeAll(Iterable, Function)}, telling {@code done} of each name once it is written or given up. */
    public void writeAll(Iterable<String> names, Function<String, ProfileData> source,
                         java.util.function.Consumer<String> done) {
        Map<String, List<String>> notWrittenByCause = new LinkedHashMap<>();
        for (String name : names) {
            try {
                ProfileData data = source.apply(name);
                if (data != null) write(name + ".pb.gz", data);
            } catch (Throwable e) {
                notWrittenByCause.computeIfAbsent(FileErrors.describe(e), c -> new ArrayList<>()).add(name);
            }
            done.accept(name);
        }
        if (notWrittenByCause.isEmpty()) return;
        StringBuilder line = new StringBuilder("cannot write profiles to ").append(Log.abbreviate(dir))
                .append("; not written: ");
        notWrittenByCause.forEach((cause, profiles) -> line.append(line.charAt(line.length() - 1) == ' ' ? "" : ", ")
                .append(String.join(", ", profiles)).append(" (").append(cause).append(')'));
        Log.error(line.toString());
    }

    /** Writes one profile file atomically. */
    public void write(String fileName, ProfileData data) throws IOException {
        AtomicFile.write(dir.resolve(fileName), out -> ProfileEncoder.write(data, out));
    }
}
