package dev.diag.trace;

import dev.diag.agent.Log;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The {@code trace=FILE} option: one trace from start-up to exit, written at exit in the format the file's extension
 * names. The file is written atomically (a temporary file renamed), so a reader never sees half a trace.
 */
public final class TraceFile {
    private final Path file;
    private final TraceRecorder recorder;

    private TraceFile(Path file, TraceRecorder recorder) {
        this.file = file;
        this.recorder = recorder;
    }

    /** Starts tracing into {@code file}; returns null (after one {@code diag:} line) when that is impossible. */
    public static TraceFile start(Path file, long maxBytes, TraceSources sources) {
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null && !Files.isDirectory(dir)) {
            Log.error("trace: directory " + dir + " does not exist; tracing is off");
            return null;
        }
        TraceRecorder r = TraceRecorder.start(maxBytes, sources, true);
        if (r == null) {
            Log.error("trace: tracing is already enabled; trace=" + file + " is off");
            return null;
        }
        return new TraceFile(file, r);
    }

    /**
     * Stops tracing and writes the file, at JVM exit (after the agent waited for JFR's stream to catch up). Never
     * throws: a failure is one {@code diag:} line.
     */
    public void stopAndWrite() {
        try {
            Timeline t = recorder.stop(true);
            byte[] bytes = TraceFormat.ofFile(file.getFileName().toString()).encode(t);
            Path abs = file.toAbsolutePath();
            // Not createTempFile: its 0600 mode would carry over to the trace the user wants to open.
            Path tmp = abs.resolveSibling("." + abs.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
            Files.write(tmp, bytes);
            Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            if (t.note != null) Log.info("trace " + file + ": " + t.note);
        } catch (IOException | RuntimeException e) {
            Log.error("trace: cannot write " + file + ": " + e);
        }
    }
}
