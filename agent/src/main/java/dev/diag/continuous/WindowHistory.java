package dev.diag.continuous;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Bounds the window files of {@code out=}: {@code out.keep=N} keeps the newest N windows of each profile,
 * {@code out.max=SIZE} deletes the oldest windows (every profile of a window together) until the window files of the
 * directory take at most SIZE bytes. Only names a window is written under ({@code <profile>-<UTC stamp>.pb.gz}) are
 * touched: the whole-run files of the exit ({@code <profile>.pb.gz}), temporary files and anything else stay. The
 * newest window is never deleted, so a cap smaller than one window still leaves the latest one on disk.
 */
public final class WindowHistory {
    /** A window file: profile name, then the UTC stamp that sorts windows by start time. */
    private static final Pattern WINDOW = Pattern.compile("([a-z]+)-(\\d{8}T\\d{6}Z)\\.pb\\.gz");

    private final int keep;
    private final long maxBytes;

    /** {@code keep} 0 and {@code maxBytes} 0 mean "no limit". */
    public WindowHistory(int keep, long maxBytes) {
        this.keep = keep;
        this.maxBytes = maxBytes;
    }

    /** Returns whether a limit is set at all. */
    public boolean bounded() {
        return keep > 0 || maxBytes > 0;
    }

    /** A window file found in the directory. */
    private record WindowFile(Path path, String profile, String stamp, long size) {}

    /**
     * Deletes the window files of {@code dir} beyond the limits; returns how many were deleted. A file that vanished
     * meanwhile is not an error; any other failure to list or delete is thrown, and the next window tries again.
     */
    public int prune(Path dir) throws IOException {
        if (!bounded()) return 0;
        List<WindowFile> windows = list(dir);
        List<WindowFile> doomed = new ArrayList<>();
        if (keep > 0) {
            Map<String, List<WindowFile>> byProfile = new TreeMap<>();
            for (WindowFile w : windows) byProfile.computeIfAbsent(w.profile(), p -> new ArrayList<>()).add(w);
            for (List<WindowFile> ws : byProfile.values()) {
                // windows is sorted newest first
                if (ws.size() > keep) doomed.addAll(ws.subList(keep, ws.size()));
            }
        }
        if (maxBytes > 0) {
            List<WindowFile> kept = new ArrayList<>(windows);
            kept.removeAll(doomed);
            long total = kept.stream().mapToLong(WindowFile::size).sum();
            String newest = kept.isEmpty() ? null : kept.get(0).stamp();
            // Oldest stamp first; all profiles of one window go together, so what remains are whole windows.
            Map<String, List<WindowFile>> byStamp = new TreeMap<>();
            for (WindowFile w : kept) byStamp.computeIfAbsent(w.stamp(), s -> new ArrayList<>()).add(w);
            for (Map.Entry<String, List<WindowFile>> e : byStamp.entrySet()) {
                if (total <= maxBytes || e.getKey().equals(newest)) break;
                for (WindowFile w : e.getValue()) {
                    doomed.add(w);
                    total -= w.size();
                }
            }
        }
        int deleted = 0;
        for (WindowFile w : doomed) {
            if (Files.deleteIfExists(w.path())) deleted++;
        }
        return deleted;
    }

    /** Returns the window files of {@code dir}, newest first. */
    private static List<WindowFile> list(Path dir) throws IOException {
        List<WindowFile> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Matcher m = WINDOW.matcher(p.getFileName().toString());
                if (!m.matches()) continue;
                long size;
                try {
                    size = Files.size(p);
                } catch (java.nio.file.NoSuchFileException gone) {
                    continue;
                }
                out.add(new WindowFile(p, m.group(1), m.group(2), size));
            }
        }
        out.sort(Comparator.comparing(WindowFile::stamp).reversed());
        return out;
    }
}
